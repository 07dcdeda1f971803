package dlx.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import dlx.api.RunContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The frozen-encoder classifier: [CLS] vectors computed once, standardised with the training
 * set's mean and spread, and a {@link Head} trained on them with AdamW in DJL.
 */
final class FrozenClassifier implements AutoCloseable {

    record Settings(int epochs, double learningRate, int hiddenUnits, int batchSize, double weightDecay, long seed) { }

    record Outcome(double valAccuracy, double bestValAccuracy, double finalTrainLoss, double trainSeconds,
                   double medianEpochSeconds) { }

    private final NDManager manager;
    private final Head head;
    private final float[] mean;
    private final float[] scale;
    private Outcome outcome;

    private FrozenClassifier(NDManager manager, Head head, float[] mean, float[] scale) {
        this.manager = manager;
        this.head = head;
        this.mean = mean;
        this.scale = scale;
    }

    Outcome outcome() {
        return outcome;
    }

    /**
     * Trains on {@code trainX}; after every epoch records {@code trainLoss<suffix>} and
     * {@code valAccuracy<suffix>} (accuracy on {@code testX}).
     */
    static FrozenClassifier train(RunContext ctx, NDManager parent, float[][] trainX, int[] trainY,
                                  float[][] testX, int[] testY, Settings s, String suffix) {
        int dim = trainX[0].length;
        float[] mean = new float[dim];
        float[] scale = new float[dim];
        for (float[] row : trainX) {
            for (int j = 0; j < dim; j++) {
                mean[j] += row[j] / trainX.length;
            }
        }
        for (float[] row : trainX) {
            for (int j = 0; j < dim; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / trainX.length;
            }
        }
        for (int j = 0; j < dim; j++) {
            scale[j] = (float) (1 / Math.sqrt(scale[j] + 1e-6));
        }
        NDManager manager = parent.newSubManager();
        Random rnd = new Random(s.seed());
        FrozenClassifier c = new FrozenClassifier(manager, new Head(manager, dim, s.hiddenUnits(), rnd), mean, scale);
        NDArray x = manager.create(c.standardise(trainX));
        float[][] xTest = c.standardise(testX);
        Head.attachGradients(c.head.parameters());
        Optimizer optimizer = Head.adamW(s.learningRate(), s.weightDecay());
        List<Double> epochSeconds = new ArrayList<>();
        double best = 0;
        double acc = 0;
        double lastLoss = Double.NaN;
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            ctx.checkCancelled();
            long t0 = System.nanoTime();
            double lossSum = 0;
            for (int[] idx : Head.batches(trainX.length, s.batchSize(), rnd)) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray xb = x.get(step.create(toLong(idx)));
                    xb.attach(step);
                    int[] yb = new int[idx.length];
                    for (int i = 0; i < idx.length; i++) {
                        yb[i] = trainY[idx[i]];
                    }
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        gc.zeroGradients();
                        NDArray loss = Head.crossEntropy(c.head.logits(xb), yb);
                        gc.backward(loss);
                        lossSum += loss.getFloat() * idx.length;
                    }
                    Head.step(optimizer, c.head.parameters());
                }
            }
            epochSeconds.add((System.nanoTime() - t0) / 1e9);
            lastLoss = lossSum / trainX.length;
            try (NDManager eval = manager.newSubManager()) {
                acc = Head.accuracy(Head.probabilities(c.head.logits(eval.create(xTest))), testY);
            }
            best = Math.max(best, acc);
            ctx.series("trainLoss" + suffix).add(epoch, lastLoss);
            ctx.series("valAccuracy" + suffix).add(epoch, acc);
        }
        c.outcome = new Outcome(acc, best, lastLoss, (System.nanoTime() - start) / 1e9, Head.median(epochSeconds));
        return c;
    }

    /** Class probabilities for [CLS] vectors. */
    float[][] probabilities(float[][] features) {
        try (NDManager eval = manager.newSubManager()) {
            return Head.probabilities(head.logits(eval.create(standardise(features))));
        }
    }

    private float[][] standardise(float[][] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new float[v[i].length];
            for (int j = 0; j < v[i].length; j++) {
                out[i][j] = (v[i][j] - mean[j]) * scale[j];
            }
        }
        return out;
    }

    private static long[] toLong(int[] idx) {
        long[] out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
