package dlx.vision;

/** Softmax followed by cross-entropy against integer labels, averaged over the batch. */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() { }

    /**
     * Mean loss of {@code n} rows of {@code classes} logits; writes {@code grad = (softmax − onehot) / n},
     * the gradient of the mean loss with respect to the logits.
     */
    public static double lossAndGradient(float[] logits, int[] labels, int n, int classes, float[] grad) {
        double total = 0;
        for (int r = 0; r < n; r++) {
            total += row(logits, r * classes, classes, labels[r], grad, r * classes, 1.0 / n);
        }
        return total / n;
    }

    /**
     * One row: returns its loss {@code −log softmax(a)[label]} and writes {@code (p − onehot) · scale}
     * into {@code grad[go..]} (when {@code grad} is not null).
     */
    static double row(float[] a, int ao, int classes, int label, float[] grad, int go, double scale) {
        float max = a[ao];
        for (int k = 1; k < classes; k++) {
            max = Math.max(max, a[ao + k]);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp(a[ao + k] - max);
        }
        double logSum = Math.log(sum);
        if (grad != null) {
            for (int k = 0; k < classes; k++) {
                double p = Math.exp(a[ao + k] - max - logSum);
                grad[go + k] = (float) ((p - (k == label ? 1 : 0)) * scale);
            }
        }
        return logSum - (a[ao + label] - max);
    }
}
