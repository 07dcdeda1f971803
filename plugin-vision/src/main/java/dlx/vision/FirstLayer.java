package dlx.vision;

import dlx.api.Configuration;
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
    /**
     * The configuration key ({@code -Ddlx.vision.vector-api=false}, {@code DLX_VISION_VECTOR_API=false})
     * that chooses the plain loops, e.g. to compare speeds; both give the same bits.
     */
    static final String KEY = "vision.vector-api";
    private static final String MODULE = "jdk.incubator.vector";
    /** The fastest kernels this JVM can run: the Vector API's when the module is loaded, else the plain loops. */
    static final FirstLayer BEST = vectorApiUsable() ? new FirstLayer(true, VectorFirstLayer.describe())
            : new FirstLayer(false, "plain Java loops (" + MODULE + " is not in the boot layer: start the JVM with --add-modules "
                    + MODULE + ")");
    static final FirstLayer PLAIN = new FirstLayer(false, "plain Java loops (" + KEY + "=false)");

    private final boolean vectorApi;
    private final String description;

    private FirstLayer(boolean vectorApi, String description) {
        this.vectorApi = vectorApi;
        this.description = description;
    }

    /** The kernels the platform's configuration asks for ({@value #KEY}, default true: {@link #BEST}). */
    static FirstLayer configured(Configuration configuration) {
        String v = configuration.get(KEY).orElse("true").trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(KEY + " '" + v + "': expected true or false");
        }
        return Boolean.parseBoolean(v) ? BEST : PLAIN;
    }

    private static boolean vectorApiUsable() {
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

    boolean vectorApi() {
        return vectorApi;
    }

    /** Which kernels run, for the results: the Vector API's species, or why the plain loops. */
    String describe() {
        return description;
    }

    /** {@code u[uo + r*H + j] = b[j] + Σ_p g.value[p*5 + r] · w[g.pixel[p]*H + j]} for all five rows. */
    void forward(float[] w, float[] b, PixelGroup g, float[] u, int uo) {
        if (vectorApi) {
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
    void accumulate(float[] t, PixelGroup g, float[] gs, int go) {
        if (vectorApi) {
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
