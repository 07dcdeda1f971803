package dlx.vision;

import java.util.Optional;

/**
 * The first layer's two batched products in the fused training step, on the pixels of a
 * {@link PixelGroup} ({@code H} = 128 hidden units, {@code W} row-major {@code 784 x H}):
 * <ul>
 *   <li>{@link #forward}: {@code u_r = b + Σ_p x_r[p] W[p]} for the group's five rows;</li>
 *   <li>{@link #accumulate}: {@code T[p] += Σ_r x_r[p] g_r} for every pixel {@code p} of the group
 *       (the weight gradient {@code xᵀ g}, added to the weights or to the momentum buffer).</li>
 * </ul>
 * Every sum is a chain of fused multiply-adds in a fixed order (pixels ascending in the forward
 * pass, rows ascending in the update), so the result does not depend on how the work is split or
 * vectorised: the Vector API kernels ({@link VectorFirstLayer}, used when the JVM has
 * {@code jdk.incubator.vector}) and the plain loops below give the same bits. A zero value adds
 * exactly nothing, which is why the group may contain pixels that are zero for some of its rows.
 */
final class FirstLayer {
    static final int H = ScratchMlp.HIDDEN;
    /** Set {@code -Ddlx.vision.vectorApi=false} to use the plain loops (e.g. to compare speeds). */
    static final String SWITCH = "dlx.vision.vectorApi";
    private static final String MODULE = "jdk.incubator.vector";
    static final boolean VECTOR_API = vectorApiUsable();

    private FirstLayer() { }

    private static boolean vectorApiUsable() {
        if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
            return false;
        }
        Optional<Module> vector = ModuleLayer.boot().findModule(MODULE);
        if (vector.isEmpty() || !FirstLayer.class.getModule().canRead(vector.get())) {
            return false;
        }
        try {
            return VectorFirstLayer.usable();
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Which kernels run, for the results: the Vector API's species, or why the plain loops. */
    static String describe() {
        if (VECTOR_API) {
            return VectorFirstLayer.describe();
        }
        if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
            return "plain Java loops (-D" + SWITCH + "=false)";
        }
        return "plain Java loops (" + MODULE + " is not in the boot layer: start the JVM with --add-modules " + MODULE + ")";
    }

    /** {@code u[uo + r*H + j] = b[j] + Σ_p g.value[p*5 + r] · w[g.pixel[p]*H + j]} for all five rows. */
    static void forward(float[] w, float[] b, PixelGroup g, float[] u, int uo) {
        if (VECTOR_API) {
            VectorFirstLayer.forward(w, b, g, u, uo);
            return;
        }
        for (int r = 0; r < PixelGroup.SIZE; r++) {
            System.arraycopy(b, 0, u, uo + r * H, H);
        }
        for (int p = 0; p < g.count; p++) {
            int o = g.pixel[p] * H;
            for (int r = 0; r < g.rows; r++) {
                float x = g.value[p * PixelGroup.SIZE + r];
                if (x != 0f) {
                    int ur = uo + r * H;
                    for (int j = 0; j < H; j++) {
                        u[ur + j] = Math.fma(x, w[o + j], u[ur + j]);
                    }
                }
            }
        }
    }

    /** {@code t[g.pixel[p]*H + j] += Σ_r g.value[p*5 + r] · gs[go + r*H + j]}, the rows added in order. */
    static void accumulate(float[] t, PixelGroup g, float[] gs, int go) {
        if (VECTOR_API) {
            VectorFirstLayer.accumulate(t, g, gs, go);
            return;
        }
        for (int p = 0; p < g.count; p++) {
            int o = g.pixel[p] * H;
            for (int r = 0; r < g.rows; r++) {
                float x = g.value[p * PixelGroup.SIZE + r];
                if (x != 0f) {
                    int gr = go + r * H;
                    for (int j = 0; j < H; j++) {
                        t[o + j] = Math.fma(x, gs[gr + j], t[o + j]);
                    }
                }
            }
        }
    }
}
