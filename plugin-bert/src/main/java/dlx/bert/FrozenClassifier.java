package dlx.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import dlx.api.Labels;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.train.TrainingState;
import dlx.kit.train.TrainingTask;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The frozen-encoder classifier: [CLS] vectors computed once and a {@link Head} trained on them with
 * AdamW in DJL. The head sees the raw [CLS] vector, as the fine-tuned model's head does, unless
 * {@link Settings#standardize} asks for features standardised with the training set's mean and spread.
 */
final class FrozenClassifier implements AutoCloseable {

    record Settings(int epochs, double learningRate, int hiddenUnits, int batchSize, double weightDecay, boolean standardize,
                    long seed) { }

    private final NDManager manager;
    private final Head head;
    private final float[] mean;
    private final float[] scale;
    private Trained outcome;

    private FrozenClassifier(NDManager manager, Head head, float[] mean, float[] scale) {
        this.manager = manager;
        this.head = head;
        this.mean = mean;
        this.scale = scale;
    }

    Trained outcome() {
        return outcome;
    }

    /** How many weights the head trains. */
    long headParameters() {
        return head.parameterCount();
    }

    /**
     * Trains on {@code trainX} with the kit's training loop; after every epoch the series
     * {@code trainLoss} and {@code valAccuracy} (accuracy on {@code testX}) are recorded with {@code labels}.
     */
    static FrozenClassifier train(RunRequest request, RunReporter reporter, NDManager parent, float[][] trainX, int[] trainY,
                                  float[][] testX, int[] testY, Settings s, Labels labels) throws Exception {
        int dim = trainX[0].length;
        float[] mean = new float[dim];
        float[] scale = new float[dim];
        java.util.Arrays.fill(scale, 1f);
        if (s.standardize()) {
            java.util.Arrays.fill(scale, 0f);
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
        }
        NDManager manager = parent.newSubManager();
        // One generator for the head's initial weights and then every epoch's shuffle, in that order.
        Random rnd = new Random(s.seed());
        FrozenClassifier c = new FrozenClassifier(manager, new Head(manager, dim, s.hiddenUnits(), rnd), mean, scale);
        try {
            Steps steps = c.new Steps(manager.create(c.standardise(trainX)), trainY, c.standardise(testX), testY, s, rnd);
            c.outcome = Trained.train("head", steps, s.epochs(),
                    Head.batchCount(trainX.length, s.batchSize()), "try a lower headLearningRate (now " + s.learningRate() + ")",
                    request, reporter, labels);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /** The head's training: one AdamW step per mini-batch of the (optionally standardised) [CLS] vectors. */
    private final class Steps implements TrainingTask {
        private final NDArray x;
        private final int[] trainY;
        private final float[][] xTest;
        private final int[] testY;
        private final Settings settings;
        private final Random rnd;
        private final Optimizer optimizer;
        private List<int[]> batches;
        private int next;

        Steps(NDArray x, int[] trainY, float[][] xTest, int[] testY, Settings settings, Random rnd) {
            this.x = x;
            this.trainY = trainY;
            this.xTest = xTest;
            this.testY = testY;
            this.settings = settings;
            this.rnd = rnd;
            this.optimizer = Head.adamW(settings.learningRate(), settings.weightDecay());
            Head.attachGradients(head.parameters());
        }

        @Override
        public void beginEpoch(int epoch) {
            batches = Head.batches(trainY.length, settings.batchSize(), rnd);
            next = 0;
        }

        @Override
        public Step step(TrainingState state) {
            int[] idx = batches.get(next++);
            try (NDManager step = manager.newSubManager()) {
                NDArray xb = x.get(step.create(toLong(idx)));
                xb.attach(step);
                int[] yb = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    yb[i] = trainY[idx[i]];
                }
                float loss;
                try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                    gc.zeroGradients();
                    NDArray l = Head.crossEntropy(head.logits(xb), yb);
                    gc.backward(l);
                    loss = l.getFloat();
                }
                return Head.applyIfFinite(optimizer, head.parameters(), loss, idx.length);
            }
        }

        @Override
        public Map<String, Double> evaluate() {
            try (NDManager eval = manager.newSubManager()) {
                return Map.of(Trained.VAL_ACCURACY, Head.accuracy(Head.probabilities(head.logits(eval.create(xTest))), testY));
            }
        }
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
