package dlx.vision;

/**
 * ℓ1 norm of the first-layer weight gradient (of the mean loss) on a small and on a large batch:
 * with more examples the per-example gradients average out, so the norm of the mean shrinks.
 */
public final class MagnitudeChecker {
    private MagnitudeChecker() { }

    /** ℓ1 norm of ∂L/∂W1 on the first {@code n} examples of {@code data}. */
    public static double firstLayerGradL1(ScratchMlp net, SparseImages data, int n) {
        int m = Math.min(n, data.count());
        float[] x = new float[m * ScratchMlp.IN];
        System.arraycopy(data.dense().images(), 0, x, 0, x.length);
        int[] labels = java.util.Arrays.copyOf(data.labels, m);
        net.lossAndGradient(x, labels, m);
        double s = 0;
        for (float v : net.l1.gw) {
            s += Math.abs(v);
        }
        return s;
    }
}
