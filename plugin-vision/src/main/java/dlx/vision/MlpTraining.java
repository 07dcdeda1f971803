package dlx.vision;

import dlx.api.CancellationToken;
import dlx.api.Labels;
import dlx.api.Progress;
import dlx.api.RunReporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The mini-batch training loop of the scratch MLP: seeded shuffling per epoch, SGD (optionally
 * with momentum), evaluation of train/validation/test after every epoch (not timed), and early
 * stopping on validation accuracy with a patience (0 = off; the best model is restored). Plain
 * Java like the model it trains, so it is not the kit's (DJL) {@code TrainingLoop}: its epoch
 * timing and best-weights snapshots are what the optimisation studies measure and compare.
 */
final class MlpTraining {

    record Settings(int epochs, int batchSize, float learningRate, int patience, float momentum, long seed) { }

    record Epoch(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                 double testAccuracy, double seconds) { }

    record Outcome(List<Epoch> epochs, int bestEpoch, double bestValAccuracy, double testAccuracy,
                   double medianEpochSeconds, double trainSeconds, long updates, boolean stoppedEarly) {
        int epochsRun() {
            return epochs.size();
        }

        /** Gradient updates until the best (converged) epoch. */
        long updatesToBest(int trainCount, int batchSize) {
            return (long) bestEpoch * ((trainCount + batchSize - 1) / batchSize);
        }
    }

    interface Listener {
        void onEpoch(Epoch e);
    }

    /** Records the per-epoch curves {@code trainLoss}, {@code trainAccuracy}, {@code valAccuracy}, {@code testAccuracy}. */
    static Listener curves(RunReporter reporter) {
        return e -> {
            reporter.series("trainLoss").add(e.epoch(), e.trainLoss());
            reporter.series("trainAccuracy").add(e.epoch(), e.trainAccuracy());
            reporter.series("valAccuracy").add(e.epoch(), e.valAccuracy());
            reporter.series("testAccuracy").add(e.epoch(), e.testAccuracy());
        };
    }

    private MlpTraining() { }

    /**
     * Trains one model over one full pass per epoch; {@code train, val, test} as returned by
     * {@link VisionData#sparse}. {@code labels} tell this training apart from the run's others
     * (e.g. {@code alpha=0.9}) in its metrics and progress bar.
     */
    static Outcome train(RunReporter reporter, CancellationToken cancellation, Labels labels, ScratchMlp net,
                         SparseImages[] data, Settings s, Listener listener) {
        SparseImages train = data[0];
        SparseImages val = data[1];
        SparseImages test = data[2];
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random rng = new Random(s.seed() ^ 0x5DEECE66DL);
        List<Epoch> epochs = new ArrayList<>();
        double[] seconds = new double[s.epochs()];
        float[][] best = null;
        int bestEpoch = 0;
        double bestVal = -1;
        int wait = 0;
        long updates = 0;
        double trainSeconds = 0;
        boolean stoppedEarly = false;
        String task = labels.isEmpty() ? "epochs" : labels.asMap().entrySet().stream()
                .map(l -> l.getKey() + " " + l.getValue()).collect(Collectors.joining(" "));
        try (Progress progress = reporter.progress(task, s.epochs())) {
            for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                cancellation.throwIfCancelled();
                shuffle(order, rng);
                long t0 = System.nanoTime();
                for (int start = 0; start < order.length; start += s.batchSize()) {
                    int n = Math.min(s.batchSize(), order.length - start);
                    net.trainBatch(train, order, start, n, s.learningRate(), s.momentum());
                    updates++;
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                seconds[epoch - 1] = sec;
                trainSeconds += sec;
                double[] tr = net.evaluate(train);
                double[] va = net.evaluate(val);
                double[] te = net.evaluate(test);
                Epoch e = new Epoch(epoch, tr[0], tr[1], va[0], va[1], te[1], sec);
                epochs.add(e);
                reporter.metric("epoch", labels, epoch);
                reporter.metric("examplesPerSecond", labels, train.count() / sec);
                listener.onEpoch(e);
                progress.step();
                progress.status(String.format("loss %.4f val %.4f", tr[0], va[1]));
                if (!Double.isFinite(tr[0])) {
                    reporter.log("training diverged at epoch " + epoch + " (loss " + tr[0] + ")");
                    break;
                }
                if (va[1] > bestVal) {
                    bestVal = va[1];
                    bestEpoch = epoch;
                    wait = 0;
                    if (s.patience() > 0) {
                        if (best == null) {
                            best = net.snapshot();
                        } else {
                            net.copyInto(best);
                        }
                    }
                } else if (s.patience() > 0 && ++wait >= s.patience()) {
                    stoppedEarly = true;
                    reporter.log("early stopping after epoch " + epoch + ": no validation improvement for " + s.patience()
                            + " epochs; best epoch " + bestEpoch);
                    break;
                }
            }
        }
        double testAccuracy;
        if (s.patience() > 0 && best != null) {
            net.restore(best);
            testAccuracy = net.evaluate(test)[1];
        } else {
            testAccuracy = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).testAccuracy();
        }
        double median = median(Arrays.copyOf(seconds, epochs.size()));
        return new Outcome(epochs, bestEpoch, bestVal, testAccuracy, median, trainSeconds, updates, stoppedEarly);
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }

    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
