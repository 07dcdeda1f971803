package dlx.vision;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FirstLayer}'s kernels on the Vector API ({@code jdk.incubator.vector}), register-blocked:
 * a pass holds two vectors of hidden units for all five rows of the group in registers (10
 * accumulators, or 10 gradient vectors) and streams the group's weight rows through them, so each
 * weight is read from memory once per group instead of once per example, and every multiply-add
 * is one FMA instruction. Only loaded when the JVM reads {@code jdk.incubator.vector}.
 */
final class VectorFirstLayer {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int H = FirstLayer.H;
    private static final int G = PixelGroup.SIZE;

    private VectorFirstLayer() { }

    /** At least 4 lanes (otherwise the plain loops are as fast), and whole passes over the hidden units. */
    static boolean usable() {
        return L >= 4 && H % (2 * L) == 0;
    }

    static String describe() {
        return "Vector API, " + S.vectorBitSize() + "-bit FloatVector (" + L + " lanes)";
    }

    static void forward(float[] w, float[] b, PixelGroup g, float[] u, int uo) {
        final int n = g.count;
        final int[] pixel = g.pixel;
        final float[] value = g.value;
        for (int j = 0; j < H; j += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, j);
            FloatVector b1 = FloatVector.fromArray(S, b, j + L);
            FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1;
            for (int p = 0; p < n; p++) {
                int o = pixel[p] * H + j;
                int c = p * G;
                FloatVector w0 = FloatVector.fromArray(S, w, o);
                FloatVector w1 = FloatVector.fromArray(S, w, o + L);
                FloatVector x = FloatVector.broadcast(S, value[c]);
                a00 = x.fma(w0, a00);
                a01 = x.fma(w1, a01);
                x = FloatVector.broadcast(S, value[c + 1]);
                a10 = x.fma(w0, a10);
                a11 = x.fma(w1, a11);
                x = FloatVector.broadcast(S, value[c + 2]);
                a20 = x.fma(w0, a20);
                a21 = x.fma(w1, a21);
                x = FloatVector.broadcast(S, value[c + 3]);
                a30 = x.fma(w0, a30);
                a31 = x.fma(w1, a31);
                x = FloatVector.broadcast(S, value[c + 4]);
                a40 = x.fma(w0, a40);
                a41 = x.fma(w1, a41);
            }
            int o = uo + j;
            a00.intoArray(u, o);
            a01.intoArray(u, o + L);
            a10.intoArray(u, o + H);
            a11.intoArray(u, o + H + L);
            a20.intoArray(u, o + 2 * H);
            a21.intoArray(u, o + 2 * H + L);
            a30.intoArray(u, o + 3 * H);
            a31.intoArray(u, o + 3 * H + L);
            a40.intoArray(u, o + 4 * H);
            a41.intoArray(u, o + 4 * H + L);
        }
    }

    static void accumulate(float[] t, PixelGroup g, float[] gs, int go) {
        final int n = g.count;
        final int[] pixel = g.pixel;
        final float[] value = g.value;
        for (int j = 0; j < H; j += 2 * L) {
            int q = go + j;
            FloatVector g00 = FloatVector.fromArray(S, gs, q);
            FloatVector g01 = FloatVector.fromArray(S, gs, q + L);
            FloatVector g10 = FloatVector.fromArray(S, gs, q + H);
            FloatVector g11 = FloatVector.fromArray(S, gs, q + H + L);
            FloatVector g20 = FloatVector.fromArray(S, gs, q + 2 * H);
            FloatVector g21 = FloatVector.fromArray(S, gs, q + 2 * H + L);
            FloatVector g30 = FloatVector.fromArray(S, gs, q + 3 * H);
            FloatVector g31 = FloatVector.fromArray(S, gs, q + 3 * H + L);
            FloatVector g40 = FloatVector.fromArray(S, gs, q + 4 * H);
            FloatVector g41 = FloatVector.fromArray(S, gs, q + 4 * H + L);
            for (int p = 0; p < n; p++) {
                int o = pixel[p] * H + j;
                int c = p * G;
                FloatVector y0 = FloatVector.fromArray(S, t, o);
                FloatVector y1 = FloatVector.fromArray(S, t, o + L);
                FloatVector x = FloatVector.broadcast(S, value[c]);
                y0 = x.fma(g00, y0);
                y1 = x.fma(g01, y1);
                x = FloatVector.broadcast(S, value[c + 1]);
                y0 = x.fma(g10, y0);
                y1 = x.fma(g11, y1);
                x = FloatVector.broadcast(S, value[c + 2]);
                y0 = x.fma(g20, y0);
                y1 = x.fma(g21, y1);
                x = FloatVector.broadcast(S, value[c + 3]);
                y0 = x.fma(g30, y0);
                y1 = x.fma(g31, y1);
                x = FloatVector.broadcast(S, value[c + 4]);
                y0 = x.fma(g40, y0);
                y1 = x.fma(g41, y1);
                y0.intoArray(t, o);
                y1.intoArray(t, o + L);
            }
        }
    }
}
