package dlx.vision;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The output layer's per-example work in the fused training step (128 → 10) on the Vector API,
 * giving the same bits as {@link ScratchMlp}'s plain loops: every sum keeps the plain loops' order
 * and their separate multiply and add (no fused multiply-add), only the ten outputs or the hidden
 * units go across the lanes. Needs 16-lane vectors (AVX-512), so that one vector holds the ten
 * logits of an example; with fewer lanes the plain loops run. Only loaded when the JVM reads
 * {@code jdk.incubator.vector}.
 *
 * <p>Ten-wide rows of W2 are read as 16 lanes, so arrays read or written by row carry
 * {@link #PAD} floats of slack: the six extra lanes read the next row's first weights and are
 * dropped, or add {@code h · 0} (exactly nothing) to the next row of the gradient.
 */
final class VectorOutputLayer {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int H = ScratchMlp.HIDDEN;
    private static final int OUT = ScratchMlp.OUT;
    /** Slack after a 10-wide row-major array so that its last row can be read as one vector. */
    static final int PAD = 16 - OUT;

    private VectorOutputLayer() { }

    static boolean usable() {
        return L == 16 && H % L == 0;
    }

    /**
     * {@code out[k] = b2[k] + Σ_j h[j] w2[j][k]} over the non-zero {@code h[j]} in ascending order;
     * {@code b2} and {@code out} hold 16 floats (the logits in the first ten); {@code nonZero} is
     * scratch for 128 indices.
     */
    static void logits(float[] h, float[] w2, float[] b2, float[] out, int[] nonZero) {
        // The rows to add are listed first: a vector carried through a loop with a branch in it is
        // not kept in registers by C2 in JDK 17 (it is boxed, several times slower).
        int m = 0;
        for (int j = 0; j < H - 1; j++) {
            if (h[j] != 0f) {
                nonZero[m++] = j;
            }
        }
        FloatVector acc = FloatVector.fromArray(S, b2, 0);
        for (int t = 0; t < m; t++) {
            int j = nonZero[t];
            acc = acc.add(FloatVector.fromArray(S, w2, j * OUT).mul(h[j]));
        }
        acc.intoArray(out, 0);
        // The last row would read past W2's end as a vector: its ten products are added last, as in the plain loop.
        float hj = h[H - 1];
        if (hj != 0f) {
            int o = (H - 1) * OUT;
            for (int k = 0; k < OUT; k++) {
                out[k] += hj * w2[o + k];
            }
        }
    }

    /**
     * The backward pass of one example from the output layer's gradient {@code g} (16 floats, the
     * last six zero): {@code gw2[j][k] += h[j] g[k]} for the non-zero {@code h[j]};
     * {@code s[j] = Σ_k g[k] w2[j][k]} (in {@code k} order, from {@code w2t}, W2 transposed to
     * {@code 10 x 128}), zero where {@code h[j]} is zero (ReLU's derivative); {@code gb1[j] += s[j]}
     * and {@code gs[row + j] = factor · s[j]}.
     */
    static void backward(float[] h, float[] g, float[] w2t, float[] gw2, float[] gb1, float[] gs, int row, float factor) {
        FloatVector gv = FloatVector.fromArray(S, g, 0);
        for (int j = 0; j < H; j++) {
            float hj = h[j];
            if (hj != 0f) {
                int o = j * OUT;
                if (Float.isFinite(hj)) {
                    FloatVector.fromArray(S, gw2, o).add(gv.mul(hj)).intoArray(gw2, o);
                } else {
                    // ∞ · 0 would put NaN into the next row's slack lanes: only the row's own ten
                    for (int k = 0; k < OUT; k++) {
                        gw2[o + k] += hj * g[k];
                    }
                }
            }
        }
        for (int j = 0; j < H; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int k = 0; k < OUT; k++) {
                s = s.add(FloatVector.fromArray(S, w2t, k * H + j).mul(g[k]));
            }
            s = s.blend(0f, FloatVector.fromArray(S, h, j).compare(VectorOperators.EQ, 0f));
            FloatVector.fromArray(S, gb1, j).add(s).intoArray(gb1, j);
            s.mul(factor).intoArray(gs, row + j);
        }
    }
}
