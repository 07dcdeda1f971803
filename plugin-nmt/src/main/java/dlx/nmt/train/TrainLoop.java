package dlx.nmt.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import dlx.api.PlotSpec;
import dlx.api.Progress;
import dlx.api.RunContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The plugin's reusable training loop: AdamW with cosine learning-rate decay, epochs of
 * {@code stepsPerEpoch} random batches, a validation pass after each epoch, early stopping on the
 * validation loss, gradient clipping to a global norm (a step whose loss or gradient is not
 * finite is skipped; too many skipped steps fail the run), timing that leaves out the first (warm-up) steps, and reporting to the run (series {@code <prefix>trainLoss} and
 * {@code <prefix>valLoss} by step, metric {@code <prefix>tokensPerSecond}, a progress bar).
 */
public final class TrainLoop {
    private TrainLoop() { }

    /**
     * Trains the model's block (initialised here if it is not yet) on the batches of
     * {@code data}. {@code ctx} may be null (tests); {@code prefix} names this run's series.
     */
    public static TrainResult train(Model model, Shape[] inputShapes, BatchSource data, TrainConfig cfg,
                                    RunContext ctx, String prefix) {
        return train(model, inputShapes, data, cfg, ctx, prefix, null);
    }

    /**
     * As {@link #train(Model, Shape[], BatchSource, TrainConfig, RunContext, String)}, saving a
     * checkpoint after every epoch when {@code checkpoint} is not null. With
     * {@code checkpoint.resume()} and an existing checkpoint the parameters and loop state are
     * loaded and training continues with the epoch after the last completed one (AdamW moments
     * restart at zero; the learning-rate schedule continues from the saved step; the batch order
     * is drawn from a random generator seeded with the seed and the epoch); the run then reports
     * metric {@code <prefix>resumedFromEpoch} (the first epoch trained in this call). Without
     * resume an existing checkpoint is overwritten after the first epoch.
     */
    public static TrainResult train(Model model, Shape[] inputShapes, BatchSource data, TrainConfig cfg,
                                    RunContext ctx, String prefix, Checkpoint checkpoint) {
        int total = cfg.totalSteps();
        Checkpoint.State resumed = null;
        if (checkpoint != null && checkpoint.resume() && checkpoint.exists()) {
            if (!model.getBlock().isInitialized()) {
                model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, inputShapes);
            }
            resumed = checkpoint.load(model.getBlock(), model.getNDManager());
        }
        final int startSteps = resumed == null ? 0 : resumed.steps();
        CosineTracker cosine = CosineTracker.builder().setBaseValue(cfg.learningRate())
                .optFinalValue(cfg.learningRate() * cfg.finalLrFraction()).setMaxUpdates(Math.max(1, total)).build();
        Tracker lr = startSteps == 0 ? cosine : new Tracker() {
            @Override
            public float getNewValue(int numUpdate) {
                return cosine.getNewValue(numUpdate + startSteps);
            }
        };
        Optimizer adamW = Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(cfg.weightDecay()).build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(adamW).optDevices(new ai.djl.Device[] {model.getNDManager().getDevice()});
        Random random = new Random(resumed == null ? cfg.seed() : cfg.seed() + 1_000_003L * resumed.epoch());
        List<double[]> trainCurve = new ArrayList<>(resumed == null ? List.of() : resumed.trainCurve());
        List<double[]> valCurve = new ArrayList<>(resumed == null ? List.of() : resumed.valCurve());
        String p = prefix == null ? "" : prefix;
        try (Trainer trainer = model.newTrainer(config);
             NDManager valManager = model.getNDManager().newSubManager()) {
            if (!model.getBlock().isInitialized()) {
                trainer.initialize(inputShapes);
            }
            List<Batch> validation = data.validation(valManager);
            double initialVal;
            double best;
            int bestEpoch;
            int sinceBest;
            int steps;
            int skipped;
            int firstEpoch;
            double lastVal;
            if (resumed == null) {
                initialVal = evaluate(trainer, validation);
                valCurve.add(new double[] {0, initialVal});
                if (ctx != null) {
                    ctx.series(name(p, "valLoss")).add(0, initialVal);
                }
                best = initialVal;
                bestEpoch = 0;
                sinceBest = 0;
                steps = 0;
                skipped = 0;
                firstEpoch = 1;
                lastVal = initialVal;
            } else {
                initialVal = resumed.initialVal();
                best = resumed.best();
                bestEpoch = resumed.bestEpoch();
                sinceBest = resumed.sinceBest();
                steps = resumed.steps();
                skipped = resumed.skipped();
                firstEpoch = resumed.epoch() + 1;
                lastVal = resumed.lastVal();
                if (ctx != null) {
                    for (double[] point : trainCurve) {
                        ctx.series(name(p, "trainLoss")).add(point[0], point[1]);
                    }
                    for (double[] point : valCurve) {
                        ctx.series(name(p, "valLoss")).add(point[0], point[1]);
                    }
                    ctx.metric(name(p, "resumedFromEpoch"), firstEpoch);
                    ctx.log(cfg.name() + ": resumed from " + checkpoint.file() + " after epoch " + resumed.epoch());
                }
            }
            boolean stoppedBefore = resumed != null && cfg.patience() > 0 && sinceBest >= cfg.patience();
            long tokens = 0;
            long trainNanos = 0;
            boolean early = stoppedBefore && firstEpoch <= cfg.epochs();
            int warmup = Math.min(10, total / 5);
            int stepsBefore = steps;
            List<Parameter> trainable = new ArrayList<>();
            model.getBlock().getParameters().values().forEach(prm -> {
                if (prm.requiresGradient()) {
                    trainable.add(prm);
                }
            });
            int timedSteps = 0;
            Progress progress = ctx == null ? null : ctx.progress(cfg.name(), Math.max(0, total - steps));
            try {
                for (int epoch = firstEpoch; epoch <= cfg.epochs() && !stoppedBefore; epoch++) {
                    double sum = 0;
                    int counted = 0;
                    for (int s = 0; s < cfg.stepsPerEpoch(); s++) {
                        if (ctx != null) {
                            ctx.checkCancelled();
                        }
                        long t0 = System.nanoTime();
                        long stepTokens;
                        try (NDManager m = model.getNDManager().newSubManager()) {
                            Batch b = data.train(m, random);
                            float lossValue;
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList out = trainer.forward(b.inputs());
                                NDArray loss = Losses.crossEntropy(out.get(0), b.labels(), b.mask());
                                gc.backward(loss);
                                lossValue = loss.getFloat();
                            }
                            if (Float.isFinite(lossValue) && clipGradients(trainable, cfg.clipNorm())) {
                                trainer.step();
                                sum += lossValue;
                                counted++;
                            } else {
                                zeroGradients(trainable);
                                skipped++;
                            }
                            stepTokens = b.tokens();
                        }
                        if (steps - stepsBefore >= warmup) {
                            trainNanos += System.nanoTime() - t0;
                            timedSteps++;
                            tokens += stepTokens;
                        }
                        steps++;
                        if (progress != null) {
                            progress.step();
                        }
                    }
                    if (skipped > Math.max(10, steps / 10)) {
                        throw new IllegalStateException(cfg.name() + ": training diverged (" + skipped + " of " + steps
                                + " steps had a non-finite loss or gradient)");
                    }
                    double trainLoss = counted == 0 ? Double.NaN : sum / counted;
                    double val = evaluate(trainer, validation);
                    lastVal = val;
                    trainCurve.add(new double[] {steps, trainLoss});
                    valCurve.add(new double[] {steps, val});
                    if (ctx != null) {
                        ctx.series(name(p, "trainLoss")).add(steps, trainLoss);
                        ctx.series(name(p, "valLoss")).add(steps, val);
                        if (progress != null) {
                            progress.status(String.format("epoch %d train %.3f val %.3f", epoch, trainLoss, val));
                        }
                    }
                    boolean stop = false;
                    if (val < best - 1e-4) {
                        best = val;
                        bestEpoch = epoch;
                        sinceBest = 0;
                    } else if (cfg.patience() > 0 && ++sinceBest >= cfg.patience()) {
                        early = epoch < cfg.epochs();
                        stop = true;
                    }
                    if (checkpoint != null) {
                        checkpoint.save(new Checkpoint.State(epoch, steps, initialVal, best, bestEpoch, sinceBest, val,
                                skipped, trainCurve, valCurve), model.getBlock());
                    }
                    if (stop) {
                        break;
                    }
                }
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
            double msPerStep = timedSteps == 0 ? 0 : trainNanos / 1e6 / timedSteps;
            double tps = trainNanos == 0 ? 0 : tokens / (trainNanos / 1e9);
            if (ctx != null) {
                ctx.metric(name(p, "tokensPerSecond"), tps);
            }
            return new TrainResult(trainCurve, valCurve, initialVal, best, lastVal, bestEpoch, steps, msPerStep, tps, early,
                    resumed == null ? 0 : firstEpoch);
        }
    }

    /**
     * Scales the gradients so that their global L2 norm is at most {@code maxNorm} (no-op for
     * {@code maxNorm <= 0}); false when the norm is not finite (the step must then be skipped).
     */
    static boolean clipGradients(List<Parameter> params, float maxNorm) {
        List<NDArray> temps = new ArrayList<>();
        try {
            NDArray total = null;
            for (Parameter p : params) {
                NDArray g = p.getArray().getGradient();
                temps.add(g);
                NDArray sq = g.square();
                temps.add(sq);
                NDArray s = sq.sum();
                temps.add(s);
                total = total == null ? s : total.add(s);
                temps.add(total);
            }
            if (total == null) {
                return true;
            }
            double norm = Math.sqrt(total.getFloat());
            if (!Double.isFinite(norm)) {
                return false;
            }
            if (maxNorm > 0 && norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (Parameter p : params) {
                    NDArray g = p.getArray().getGradient();
                    temps.add(g);
                    g.muli(scale);
                }
            }
            return true;
        } finally {
            temps.forEach(NDArray::close);
        }
    }

    static void zeroGradients(List<Parameter> params) {
        for (Parameter p : params) {
            try (NDArray g = p.getArray().getGradient()) {
                g.set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
            }
        }
    }

    /** Mean loss over the batches, weighted by their number of counted targets; no gradients. */
    public static double evaluate(Trainer trainer, List<Batch> batches) {
        double sum = 0;
        double weight = 0;
        for (Batch b : batches) {
            try (NDManager m = trainer.getManager().newSubManager()) {
                b.inputs().tempAttach(m);
                b.labels().tempAttach(m);
                if (b.mask() != null) {
                    b.mask().tempAttach(m);
                }
                NDList out = trainer.evaluate(b.inputs());
                NDArray loss = Losses.crossEntropy(out.get(0), b.labels(), b.mask());
                double w = b.mask() == null ? b.labels().size() : b.mask().sum().getFloat();
                sum += loss.getFloat() * w;
                weight += w;
            }
        }
        return sum / Math.max(1e-9, weight);
    }

    /** Declares the usual loss plot of a run trained with {@code prefix}. */
    public static void plotLoss(RunContext ctx, String file, String title, String prefix) {
        ctx.plot(PlotSpec.lines(file, title, "step", "cross-entropy (nats)", name(prefix, "trainLoss"),
                name(prefix, "valLoss")));
    }

    /** {@code key} for an empty prefix, else prefix + Key (camel case): {@code ctx2} + {@code valLoss} = {@code ctx2ValLoss}. */
    public static String name(String prefix, String key) {
        if (prefix == null || prefix.isEmpty()) {
            return key;
        }
        return prefix + Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }
}
