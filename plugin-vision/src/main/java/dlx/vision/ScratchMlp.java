package dlx.vision;

import java.util.Arrays;
import java.util.Random;

/**
 * The course's two-layer MLP 784 → 128 (ReLU) → 10 with softmax cross-entropy, written without
 * autograd. {@link #lossAndGradient} is the textbook backward pass through the layers in order
 * ({@link Linear}, {@link Relu}, {@link SoftmaxCrossEntropy}); {@link #trainBatch} is the same
 * mathematics fused for speed (sparse inputs, per-example matrix-vector work, four weight rows per
 * pass, preallocated buffers, no allocation per step) and is what training uses.
 */
public final class ScratchMlp {
    public static final int IN = 784;
    public static final int HIDDEN = 128;
    public static final int OUT = 10;
    public static final double INIT_STD = 0.1;
    /** Parameter tensors in the order W1, b1, W2, b2. */
    public static final String[] TENSORS = {"W1", "b1", "W2", "b2"};

    final Linear l1;
    final Linear l2;

    // Buffers of the fused training step, sized for the largest batch seen.
    private int capacity;
    private float[][] u;
    private float[][] gu;
    private final float[] h = new float[HIDDEN];
    private final float[] logits = new float[OUT];
    private final float[] g = new float[OUT];
    private final float[][] gw2 = new float[HIDDEN][OUT];
    private final float[] gb2 = new float[OUT];
    private final float[] gb1 = new float[HIDDEN];
    private int[] members;
    private float[] coef;
    // Momentum velocities, allocated on first use.
    private float[][] v1;
    private float[] vb1;
    private float[][] v2;
    private float[] vb2;

    /** Weights and biases drawn from N(0, 0.1²) with the given seed. */
    public ScratchMlp(long seed) {
        Random rng = new Random(seed);
        l1 = new Linear(IN, HIDDEN, rng, INIT_STD);
        l2 = new Linear(HIDDEN, OUT, rng, INIT_STD);
        ensureCapacity(8);
    }

    public Linear layer1() {
        return l1;
    }

    public Linear layer2() {
        return l2;
    }

    public long parameterCount() {
        return (long) IN * HIDDEN + HIDDEN + (long) HIDDEN * OUT + OUT;
    }

    // ---- flat access to the four tensors (for the gradient checker and tests) ----

    public static int tensorSize(int t) {
        return switch (t) {
            case 0 -> IN * HIDDEN;
            case 1 -> HIDDEN;
            case 2 -> HIDDEN * OUT;
            default -> OUT;
        };
    }

    public float get(int t, int k) {
        return switch (t) {
            case 0 -> l1.w[k / HIDDEN][k % HIDDEN];
            case 1 -> l1.b[k];
            case 2 -> l2.w[k / OUT][k % OUT];
            default -> l2.b[k];
        };
    }

    public void set(int t, int k, float v) {
        switch (t) {
            case 0 -> l1.w[k / HIDDEN][k % HIDDEN] = v;
            case 1 -> l1.b[k] = v;
            case 2 -> l2.w[k / OUT][k % OUT] = v;
            default -> l2.b[k] = v;
        }
    }

    /** The gradient entry as filled by {@link #lossAndGradient}. */
    public float grad(int t, int k) {
        return switch (t) {
            case 0 -> l1.gw[k / HIDDEN][k % HIDDEN];
            case 1 -> l1.gb[k];
            case 2 -> l2.gw[k / OUT][k % OUT];
            default -> l2.gb[k];
        };
    }

    // ---- snapshots (early stopping keeps the best model) ----

    /** A copy of all parameters: the rows of W1, then b1, the rows of W2, then b2. */
    public float[][] snapshot() {
        float[][] s = new float[IN + 1 + HIDDEN + 1][];
        int k = 0;
        for (float[] row : l1.w) {
            s[k++] = row.clone();
        }
        s[k++] = l1.b.clone();
        for (float[] row : l2.w) {
            s[k++] = row.clone();
        }
        s[k] = l2.b.clone();
        return s;
    }

    public void copyInto(float[][] s) {
        transfer(s, false);
    }

    public void restore(float[][] s) {
        transfer(s, true);
    }

    private void transfer(float[][] s, boolean intoModel) {
        int k = 0;
        for (float[] row : l1.w) {
            copy(row, s[k++], intoModel);
        }
        copy(l1.b, s[k++], intoModel);
        for (float[] row : l2.w) {
            copy(row, s[k++], intoModel);
        }
        copy(l2.b, s[k], intoModel);
    }

    private static void copy(float[] model, float[] snap, boolean intoModel) {
        if (intoModel) {
            System.arraycopy(snap, 0, model, 0, model.length);
        } else {
            System.arraycopy(model, 0, snap, 0, model.length);
        }
    }

    private void ensureCapacity(int batch) {
        if (batch > capacity) {
            capacity = batch;
            u = new float[batch][HIDDEN];
            gu = new float[batch][HIDDEN];
            members = new int[batch];
            coef = new float[batch];
        }
    }

    // ---- the textbook passes ----

    /**
     * Mean loss of {@code n} dense examples ({@code x} is {@code n x 784}, row-major) and its
     * gradient in the layers' {@code gw}/{@code gb}: forward through Linear, ReLU, Linear, softmax
     * cross-entropy, then backward through them in reverse order.
     */
    public double lossAndGradient(float[] x, int[] labels, int n) {
        float[] uu = new float[n * HIDDEN];
        float[] hh = new float[n * HIDDEN];
        float[] a = new float[n * OUT];
        float[] ga = new float[n * OUT];
        float[] gh = new float[n * HIDDEN];
        float[] guu = new float[n * HIDDEN];
        l1.forward(x, n, uu);
        Relu.forward(uu, hh, n * HIDDEN);
        l2.forward(hh, n, a);
        double loss = SoftmaxCrossEntropy.lossAndGradient(a, labels, n, OUT, ga);
        l1.zeroGrad();
        l2.zeroGrad();
        l2.backward(hh, ga, n, gh);
        Relu.backward(uu, gh, guu, n * HIDDEN);
        l1.backward(x, guu, n, null);
        return loss;
    }

    /**
     * The mean loss of {@code n} dense examples computed in double precision from the (float)
     * parameters: the reference that the gradient checker differentiates numerically.
     */
    public double lossExact(float[] x, int[] labels, int n) {
        double total = 0;
        double[] hh = new double[HIDDEN];
        double[] a = new double[OUT];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < HIDDEN; j++) {
                hh[j] = l1.b[j];
            }
            for (int i = 0; i < IN; i++) {
                double xi = x[r * IN + i];
                if (xi != 0) {
                    float[] row = l1.w[i];
                    for (int j = 0; j < HIDDEN; j++) {
                        hh[j] += xi * row[j];
                    }
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < OUT; k++) {
                double s = l2.b[k];
                for (int j = 0; j < HIDDEN; j++) {
                    s += Math.max(hh[j], 0) * l2.w[j][k];
                }
                a[k] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int k = 0; k < OUT; k++) {
                sum += Math.exp(a[k] - max);
            }
            total += Math.log(sum) + max - a[labels[r]];
        }
        return total / n;
    }

    // ---- the fused training step ----

    /**
     * One mini-batch step on the examples {@code order[start .. start+n)}: the gradient of the mean
     * loss at the current weights, then {@code θ ← θ − lr ∇} (momentum 0) or
     * {@code v ← αv + ∇, θ ← θ − lr v}. Returns the summed loss of the batch before the step.
     */
    public double trainBatch(SparseImages d, int[] order, int start, int n, float lr, float momentum) {
        ensureCapacity(n);
        final float[][] w2 = l2.w;
        for (float[] row : gw2) {
            Arrays.fill(row, 0f);
        }
        Arrays.fill(gb2, 0f);
        Arrays.fill(gb1, 0f);
        double scale = 1.0 / n;
        double loss = 0;
        for (int r = 0; r < n; r++) {
            int e = order[start + r];
            float[] ur = u[r];
            float[] gur = gu[r];
            l1.forwardSparse(d.idx, d.val, d.rowStart[e], d.rowStart[e + 1], ur);
            for (int j = 0; j < HIDDEN; j++) {
                h[j] = Math.max(ur[j], 0f);
            }
            hiddenToLogits(h, w2, l2.b, logits);
            loss += SoftmaxCrossEntropy.row(logits, 0, OUT, d.labels[e], g, 0, scale);
            Linear.axpy(1f, g, gb2, OUT);
            for (int j = 0; j < HIDDEN; j++) {
                float hj = h[j];
                if (hj != 0f) {
                    float[] w2j = w2[j];
                    float[] gw2j = gw2[j];
                    float s = 0f;
                    for (int k = 0; k < OUT; k++) {
                        gw2j[k] += hj * g[k];
                        s += g[k] * w2j[k];
                    }
                    gur[j] = s;
                } else {
                    gur[j] = 0f;
                }
            }
            Linear.axpy(1f, gur, gb1, HIDDEN);
        }
        if (momentum == 0f) {
            accumulateFirstLayer(d, order, start, n, -lr, l1.w);
            Linear.axpy(-lr, gb1, l1.b, HIDDEN);
            for (int j = 0; j < HIDDEN; j++) {
                Linear.axpy(-lr, gw2[j], w2[j], OUT);
            }
            Linear.axpy(-lr, gb2, l2.b, OUT);
        } else {
            if (v1 == null) {
                v1 = new float[IN][HIDDEN];
                vb1 = new float[HIDDEN];
                v2 = new float[HIDDEN][OUT];
                vb2 = new float[OUT];
            }
            // v holds α·v_prev (scaled at the end of the previous step): add the gradient, step, decay.
            accumulateFirstLayer(d, order, start, n, 1f, v1);
            for (int i = 0; i < IN; i++) {
                stepAndDecay(l1.w[i], v1[i], lr, momentum);
            }
            Linear.axpy(1f, gb1, vb1, HIDDEN);
            stepAndDecay(l1.b, vb1, lr, momentum);
            for (int j = 0; j < HIDDEN; j++) {
                Linear.axpy(1f, gw2[j], v2[j], OUT);
                stepAndDecay(w2[j], v2[j], lr, momentum);
            }
            Linear.axpy(1f, gb2, vb2, OUT);
            stepAndDecay(l2.b, vb2, lr, momentum);
        }
        return loss;
    }

    /**
     * {@code target[i] += factor · Σ_r x_r[i] · gu_r} for every input pixel {@code i} that is non-zero
     * in some example of the batch: the first-layer weight gradient {@code xᵀ gu}, applied row by row.
     * The examples go in groups of five (then four, three, two, one) per pass over a row; a group
     * whose pixel values are all zero is skipped, zero coefficients inside a group are not (that keeps
     * the loop free of unpredictable branches).
     */
    private void accumulateFirstLayer(SparseImages d, int[] order, int start, int n, float factor, float[][] target) {
        final float[] px = d.dense.images();
        final int[] base = members;
        final float[] c = coef;
        final float[][] gr = gu;
        for (int r = 0; r < n; r++) {
            base[r] = order[start + r] * IN;
        }
        for (int i = 0; i < IN; i++) {
            float[] row = target[i];
            int r = 0;
            for (; r + 4 < n; r += 5) {
                float c0 = px[base[r] + i];
                float c1 = px[base[r + 1] + i];
                float c2 = px[base[r + 2] + i];
                float c3 = px[base[r + 3] + i];
                float c4 = px[base[r + 4] + i];
                if (c0 + c1 + c2 + c3 + c4 != 0f) { // pixels are >= 0: the sum is 0 only when all are
                    Linear.axpy5(factor * c0, gr[r], factor * c1, gr[r + 1], factor * c2, gr[r + 2],
                            factor * c3, gr[r + 3], factor * c4, gr[r + 4], row, HIDDEN);
                }
            }
            int left = n - r;
            if (left == 0) {
                continue;
            }
            float sum = 0f;
            for (int q = 0; q < left; q++) {
                c[q] = factor * px[base[r + q] + i];
                sum += Math.abs(c[q]);
            }
            if (sum == 0f) {
                continue;
            }
            switch (left) {
                case 4 -> Linear.axpy4(c[0], gr[r], c[1], gr[r + 1], c[2], gr[r + 2], c[3], gr[r + 3], row, HIDDEN);
                case 3 -> Linear.axpy3(c[0], gr[r], c[1], gr[r + 1], c[2], gr[r + 2], row, HIDDEN);
                case 2 -> Linear.axpy2(c[0], gr[r], c[1], gr[r + 1], row, HIDDEN);
                default -> Linear.axpy(c[0], gr[r], row, HIDDEN);
            }
        }
    }

    /** {@code θ ← θ − lr v}, then {@code v ← α v} ready for the next step's gradient. */
    private static void stepAndDecay(float[] w, float[] v, float lr, float alpha) {
        for (int k = 0; k < w.length; k++) {
            float vk = v[k];
            w[k] -= lr * vk;
            v[k] = alpha * vk;
        }
    }

    private static void hiddenToLogits(float[] h, float[][] w2, float[] b2, float[] out) {
        System.arraycopy(b2, 0, out, 0, OUT);
        for (int j = 0; j < HIDDEN; j++) {
            float hj = h[j];
            if (hj != 0f) {
                float[] row = w2[j];
                for (int k = 0; k < OUT; k++) {
                    out[k] += hj * row[k];
                }
            }
        }
    }

    static int argmax(float[] a) {
        int best = 0;
        for (int k = 1; k < a.length; k++) {
            if (a[k] > a[best]) {
                best = k;
            }
        }
        return best;
    }

    /** {mean loss, accuracy in [0,1]} over all examples. */
    public double[] evaluate(SparseImages d) {
        float[] uu = new float[HIDDEN];
        float[] hh = new float[HIDDEN];
        float[] a = new float[OUT];
        double loss = 0;
        int correct = 0;
        for (int e = 0; e < d.count; e++) {
            l1.forwardSparse(d.idx, d.val, d.rowStart[e], d.rowStart[e + 1], uu);
            for (int j = 0; j < HIDDEN; j++) {
                hh[j] = Math.max(uu[j], 0f);
            }
            hiddenToLogits(hh, l2.w, l2.b, a);
            if (argmax(a) == d.labels[e]) {
                correct++;
            }
            loss += SoftmaxCrossEntropy.row(a, 0, OUT, d.labels[e], null, 0, 1);
        }
        return new double[] {d.count == 0 ? 0 : loss / d.count, d.count == 0 ? 0 : (double) correct / d.count};
    }
}
