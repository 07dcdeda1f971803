package dlx.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlx.kit.train.TrainingTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The classifier on the [CLS] vector, in DJL: linear ({@code hidden = 0}) or one ReLU hidden layer.
 * Weights are initialised in Java from the run's seed (He/Glorot scale), so runs are reproducible
 * whatever the engine. Also holds the small training helpers shared by the experiments.
 */
final class Head {
    static final int CLASSES = 3;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final int hiddenUnits;

    Head(NDManager manager, int in, int hiddenUnits, Random rnd) {
        this.hiddenUnits = hiddenUnits;
        if (hiddenUnits > 0) {
            params.put("head.w1", init(manager, rnd, in, hiddenUnits, Math.sqrt(2.0 / in)));
            params.put("head.b1", manager.zeros(new Shape(hiddenUnits)));
            params.put("head.w2", init(manager, rnd, hiddenUnits, CLASSES, Math.sqrt(1.0 / hiddenUnits)));
        } else {
            params.put("head.w2", init(manager, rnd, in, CLASSES, Math.sqrt(1.0 / in)));
        }
        params.put("head.b2", manager.zeros(new Shape(CLASSES)));
    }

    Map<String, NDArray> parameters() {
        return params;
    }

    long parameterCount() {
        long n = 0;
        for (NDArray p : params.values()) {
            n += p.size();
        }
        return n;
    }

    /** The label value of a head: {@code linear}, or {@code mlp<units>} with a hidden layer. */
    static String name(int hiddenUnits) {
        return hiddenUnits == 0 ? "linear" : "mlp" + hiddenUnits;
    }

    NDArray logits(NDArray x) {
        NDArray h = x;
        if (hiddenUnits > 0) {
            h = h.matMul(params.get("head.w1")).add(params.get("head.b1"));
            h = ai.djl.nn.Activation.relu(h);
        }
        return h.matMul(params.get("head.w2")).add(params.get("head.b2"));
    }

    private static NDArray init(NDManager m, Random rnd, int rows, int cols, double std) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * std);
        }
        return m.create(v, new Shape(rows, cols));
    }

    /** Mean softmax cross-entropy of {@code logits [b, 3]} against {@code labels}. */
    static NDArray crossEntropy(NDArray logits, int[] labels) {
        float[] oneHot = new float[labels.length * CLASSES];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * CLASSES + labels[i]] = 1f;
        }
        NDArray target = logits.getManager().create(oneHot, new Shape(labels.length, CLASSES));
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
    }

    static Optimizer adamW(double learningRate, double weightDecay) {
        return Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) learningRate))
                .optWeightDecays((float) weightDecay).build();
    }

    /** Marks every parameter as trainable. */
    static void attachGradients(Map<String, NDArray> params) {
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
        }
    }

    /**
     * One optimiser step over all parameters, after {@code collector.backward}. Each gradient
     * handle is closed after use (PyTorch's getGradient wraps the gradient tensor in a new
     * NDArray every call; left open, they pile up in the weights' manager).
     */
    static void step(Optimizer optimizer, Map<String, NDArray> params) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            try (NDArray grad = e.getValue().getGradient()) {
                optimizer.update(e.getKey(), e.getValue(), grad);
            }
        }
    }

    /**
     * The optimiser step of a batch whose mean loss was {@code loss}, unless that loss is not
     * finite: then the parameters stay as they are and the loop counts the step as skipped.
     */
    static TrainingTask.Step applyIfFinite(Optimizer optimizer, Map<String, NDArray> params, float loss, int items) {
        if (!Float.isFinite(loss)) {
            return TrainingTask.Step.skipped(items);
        }
        step(optimizer, params);
        return TrainingTask.Step.of(loss, items);
    }

    /** Row-wise softmax of logits as Java arrays. */
    static float[][] probabilities(NDArray logits) {
        NDArray p = logits.softmax(1);
        float[] flat = p.toFloatArray();
        int n = (int) p.getShape().get(0);
        float[][] out = new float[n][CLASSES];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * CLASSES, out[i], 0, CLASSES);
        }
        return out;
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    static double accuracy(float[][] probs, int[] labels) {
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            hits += argmax(probs[i]) == labels[i] ? 1 : 0;
        }
        return hits / (double) labels.length;
    }

    /** Index batches of a seeded shuffle. */
    static List<int[]> batches(int n, int batchSize, Random rnd) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, rnd);
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < n; s += batchSize) {
            out.add(order.subList(s, Math.min(n, s + batchSize)).stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** How many batches {@link #batches} makes of {@code n} examples. */
    static int batchCount(int n, int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        java.util.Collections.sort(s);
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }
}
