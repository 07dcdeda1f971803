package dlx.vision;

import java.util.Arrays;
import java.util.Random;

/**
 * The course's two-layer MLP 784 → 128 (ReLU) → 10 with softmax cross-entropy, written without
 * autograd. {@link #lossAndGradient} is the textbook backward pass through the layers in order
 * ({@link Linear}, {@link Relu}, {@link SoftmaxCrossEntropy}); {@link #trainBatch} is the same
 * mathematics fused for speed and is what training uses: the batch goes through the first layer
 * in groups of five examples ({@link PixelGroup}, {@link FirstLayer}: each weight row read once
 * per group, fused multiply-adds, the Vector API when the JVM has it), the output layer, softmax
 * and ReLU backward are fused per example (on the Vector API too when it has 16 lanes:
 * {@link VectorOutputLayer}), buffers are preallocated, nothing is allocated per step. Both layers'
 * Vector API kernels give the plain loops' bits.
 */
public final class ScratchMlp {
    public static final int IN = 784;
    public static final int HIDDEN = 128;
    public static final int OUT = 10;
    public static final double INIT_STD = 0.1;
    /** Parameter tensors in the order W1, b1, W2, b2. */
    public static final String[] TENSORS = {"W1", "b1", "W2", "b2"};
    private static final int G = PixelGroup.SIZE;

    final Linear l1;
    final Linear l2;
    /** The first layer's kernels: they change the speed, never the numbers. */
    private final FirstLayer first;
    /** The output layer on the Vector API ({@link VectorOutputLayer}): with the first layer's, when 16 lanes. */
    private final boolean vectorOutput;

    // Buffers of the fused training step, sized for the largest batch seen: per group of five
    // examples its pixels, the rows' pre-activations u and the scaled gradients ∂L/∂u.
    private PixelGroup[] groups = new PixelGroup[0];
    private float[] u = new float[0];
    private float[] gs = new float[0];
    private final float[] h = new float[HIDDEN];
    // Ten-wide rows are 16 floats wide for the vector kernels: slack after W2-shaped arrays, zeros after g.
    private final float[] logits = new float[OUT + VectorOutputLayer.PAD];
    private final float[] g = new float[OUT + VectorOutputLayer.PAD];
    private final float[] gw2 = new float[HIDDEN * OUT + VectorOutputLayer.PAD];
    // W2 as the vector kernels read it during a step: transposed (10 x 128), and b2 in 16 floats.
    private final float[] w2t = new float[OUT * HIDDEN];
    private final float[] b2 = new float[OUT + VectorOutputLayer.PAD];
    private final int[] nonZero = new int[HIDDEN];
    private final float[] gb2 = new float[OUT];
    private final float[] gb1 = new float[HIDDEN];
    // Momentum velocities, allocated on first use.
    private float[] v1;
    private float[] vb1;
    private float[] v2;
    private float[] vb2;

    /** Weights and biases drawn from N(0, 0.1²) with the given seed; the fastest first-layer kernels this JVM has. */
    public ScratchMlp(long seed) {
        this(seed, FirstLayer.BEST);
    }

    /** As {@link #ScratchMlp(long)}, the first layer on {@code first}'s kernels. */
    ScratchMlp(long seed, FirstLayer first) {
        this.first = first;
        this.vectorOutput = first.vectorApi() && VectorOutputLayer.usable();
        Random rng = new Random(seed);
        l1 = new Linear(IN, HIDDEN, rng, INIT_STD);
        l2 = new Linear(HIDDEN, OUT, rng, INIT_STD);
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

    /** Which kernels train this model (the Vector API's, or the plain loops and why). */
    public String kernels() {
        if (!first.vectorApi()) {
            return first.describe();
        }
        return first.describe() + (vectorOutput ? "; output layer too" : "; output layer in plain loops (fewer than 16 lanes)");
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
        return tensor(t)[k];
    }

    public void set(int t, int k, float v) {
        tensor(t)[k] = v;
    }

    /** The gradient entry as filled by {@link #lossAndGradient}. */
    public float grad(int t, int k) {
        return switch (t) {
            case 0 -> l1.gw[k];
            case 1 -> l1.gb[k];
            case 2 -> l2.gw[k];
            default -> l2.gb[k];
        };
    }

    /** W1 and W2 are row-major ({@code k = i * outputs + j}), as {@link Linear} stores them. */
    private float[] tensor(int t) {
        return switch (t) {
            case 0 -> l1.w;
            case 1 -> l1.b;
            case 2 -> l2.w;
            default -> l2.b;
        };
    }

    // ---- snapshots (early stopping keeps the best model) ----

    /** A copy of all parameters: W1, b1, W2, b2. */
    public float[][] snapshot() {
        float[][] s = new float[TENSORS.length][];
        for (int t = 0; t < s.length; t++) {
            s[t] = tensor(t).clone();
        }
        return s;
    }

    public void copyInto(float[][] s) {
        for (int t = 0; t < s.length; t++) {
            System.arraycopy(tensor(t), 0, s[t], 0, s[t].length);
        }
    }

    public void restore(float[][] s) {
        for (int t = 0; t < s.length; t++) {
            System.arraycopy(s[t], 0, tensor(t), 0, s[t].length);
        }
    }

    private void ensureCapacity(int batch) {
        int need = (batch + G - 1) / G;
        if (need > groups.length) {
            int old = groups.length;
            groups = Arrays.copyOf(groups, need);
            for (int k = old; k < need; k++) {
                groups[k] = new PixelGroup();
            }
            u = new float[need * G * HIDDEN];
            gs = new float[need * G * HIDDEN];
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
                    for (int j = 0; j < HIDDEN; j++) {
                        hh[j] += xi * l1.w[i * HIDDEN + j];
                    }
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < OUT; k++) {
                double s = l2.b[k];
                for (int j = 0; j < HIDDEN; j++) {
                    s += Math.max(hh[j], 0) * l2.w[j * OUT + k];
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
        Arrays.fill(gw2, 0f);
        Arrays.fill(gb2, 0f);
        Arrays.fill(gb1, 0f);
        // SGD adds -lr·∇ to the weights directly; momentum adds ∇ to the velocity.
        float factor = momentum == 0f ? -lr : 1f;
        double scale = 1.0 / n;
        double loss = 0;
        int used = (n + G - 1) / G;
        prepareOutputLayer();
        for (int k = 0; k < used; k++) {
            PixelGroup group = groups[k];
            int rows = Math.min(G, n - k * G);
            group.gather(d, order, start + k * G, rows);
            first.forward(l1.w, l1.b, group, u, k * G * HIDDEN);
            for (int r = 0; r < rows; r++) {
                int row = (k * G + r) * HIDDEN;
                loss += outputLayer(d.labels[order[start + k * G + r]], row, scale, factor);
            }
            // Empty rows of the last group: their zero inputs multiply these, which must be finite.
            Arrays.fill(gs, (k * G + rows) * HIDDEN, (k + 1) * G * HIDDEN, 0f);
        }
        if (momentum == 0f) {
            for (int k = 0; k < used; k++) {
                first.accumulate(l1.w, groups[k], gs, k * G * HIDDEN);
            }
            Linear.axpy(-lr, gb1, l1.b, HIDDEN);
            Linear.axpy(-lr, gw2, l2.w, HIDDEN * OUT);
            Linear.axpy(-lr, gb2, l2.b, OUT);
        } else {
            if (v1 == null) {
                v1 = new float[IN * HIDDEN];
                vb1 = new float[HIDDEN];
                v2 = new float[HIDDEN * OUT];
                vb2 = new float[OUT];
            }
            // v holds α·v_prev (scaled at the end of the previous step): add the gradient, step, decay.
            for (int k = 0; k < used; k++) {
                first.accumulate(v1, groups[k], gs, k * G * HIDDEN);
            }
            stepAndDecay(l1.w, v1, lr, momentum);
            Linear.axpy(1f, gb1, vb1, HIDDEN);
            stepAndDecay(l1.b, vb1, lr, momentum);
            Linear.axpy(1f, gw2, v2, HIDDEN * OUT);
            stepAndDecay(l2.w, v2, lr, momentum);
            Linear.axpy(1f, gb2, vb2, OUT);
            stepAndDecay(l2.b, vb2, lr, momentum);
        }
        return loss;
    }

    /**
     * One example from its pre-activations {@code u[row ..]}: ReLU, logits, softmax cross-entropy
     * (its gradient scaled by {@code scale}), the output layer's gradients added to {@code gw2},
     * {@code gb2}, and {@code ∂L/∂u} (ReLU backward) added to {@code gb1} and written times
     * {@code factor} to {@code gs[row ..]}. Returns the example's loss.
     */
    private double outputLayer(int label, int row, double scale, float factor) {
        final float[] w2 = l2.w;
        for (int j = 0; j < HIDDEN; j++) {
            h[j] = Math.max(u[row + j], 0f);
        }
        logits(h, logits);
        double loss = SoftmaxCrossEntropy.row(logits, 0, OUT, label, g, 0, scale);
        Linear.axpy(1f, g, gb2, OUT);
        if (vectorOutput) {
            VectorOutputLayer.backward(h, g, w2t, gw2, gb1, gs, row, factor);
            return loss;
        }
        for (int j = 0; j < HIDDEN; j++) {
            float hj = h[j];
            float s = 0f;
            if (hj != 0f) {
                int o = j * OUT;
                for (int k = 0; k < OUT; k++) {
                    gw2[o + k] += hj * g[k];
                    s += g[k] * w2[o + k];
                }
            }
            gb1[j] += s;
            gs[row + j] = factor * s;
        }
        return loss;
    }

    /** {@code θ ← θ − lr v}, then {@code v ← α v} ready for the next step's gradient. */
    private static void stepAndDecay(float[] w, float[] v, float lr, float alpha) {
        for (int k = 0; k < w.length; k++) {
            float vk = v[k];
            w[k] -= lr * vk;
            v[k] = alpha * vk;
        }
    }

    /** W2 as the vector kernels read it, refreshed before a step or an evaluation (W2 changes only between them). */
    private void prepareOutputLayer() {
        if (vectorOutput) {
            System.arraycopy(l2.b, 0, b2, 0, OUT);
            for (int j = 0; j < HIDDEN; j++) {
                for (int k = 0; k < OUT; k++) {
                    w2t[k * HIDDEN + j] = l2.w[j * OUT + k];
                }
            }
        }
    }

    /** The logits of hidden activations {@code h} into {@code out[0..10)} ({@code out} holds 16 floats). */
    private void logits(float[] h, float[] out) {
        if (vectorOutput) {
            VectorOutputLayer.logits(h, l2.w, b2, out, nonZero);
        } else {
            hiddenToLogits(h, l2.w, l2.b, out);
        }
    }

    private static void hiddenToLogits(float[] h, float[] w2, float[] b2, float[] out) {
        System.arraycopy(b2, 0, out, 0, OUT);
        for (int j = 0; j < HIDDEN; j++) {
            float hj = h[j];
            if (hj != 0f) {
                int o = j * OUT;
                for (int k = 0; k < OUT; k++) {
                    out[k] += hj * w2[o + k];
                }
            }
        }
    }

    /** The index of the largest of {@code a[0..n)}. */
    static int argmax(float[] a, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (a[k] > a[best]) {
                best = k;
            }
        }
        return best;
    }

    /** {mean loss, accuracy in [0,1]} over all examples (the first layer in groups of five, as in training). */
    public double[] evaluate(SparseImages d) {
        PixelGroup group = new PixelGroup();
        float[] uu = new float[G * HIDDEN];
        float[] hh = new float[HIDDEN];
        float[] a = new float[OUT + VectorOutputLayer.PAD];
        prepareOutputLayer();
        int[] examples = new int[d.count];
        for (int e = 0; e < examples.length; e++) {
            examples[e] = e;
        }
        double loss = 0;
        int correct = 0;
        for (int start = 0; start < d.count; start += G) {
            int rows = Math.min(G, d.count - start);
            group.gather(d, examples, start, rows);
            first.forward(l1.w, l1.b, group, uu, 0);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < HIDDEN; j++) {
                    hh[j] = Math.max(uu[r * HIDDEN + j], 0f);
                }
                logits(hh, a);
                int label = d.labels[start + r];
                if (argmax(a, OUT) == label) {
                    correct++;
                }
                loss += SoftmaxCrossEntropy.row(a, 0, OUT, label, null, 0, 1);
            }
        }
        return new double[] {d.count == 0 ? 0 : loss / d.count, d.count == 0 ? 0 : (double) correct / d.count};
    }
}
