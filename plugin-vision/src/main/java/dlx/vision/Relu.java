package dlx.vision;

/** ReLU forward and backward over contiguous arrays. */
public final class Relu {
    private Relu() { }

    /** {@code h = max(u, 0)} on the first {@code len} values. */
    public static void forward(float[] u, float[] h, int len) {
        for (int k = 0; k < len; k++) {
            h[k] = Math.max(u[k], 0f);
        }
    }

    /** {@code gu = gh} where {@code u > 0}, else 0. */
    public static void backward(float[] u, float[] gh, float[] gu, int len) {
        for (int k = 0; k < len; k++) {
            gu[k] = u[k] > 0f ? gh[k] : 0f;
        }
    }
}
