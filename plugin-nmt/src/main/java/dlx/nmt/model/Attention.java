package dlx.nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scaled dot-product attention softmax(q kᵀ / √d) v, with an optional causal mask.
 *
 * <p>Shapes: keys {@code (..., Tk, d)}, values {@code (..., Tk, dv)}; the query is either one row
 * per batch entry, {@code (..., d)} (one dimension fewer than the keys, the "2-D" case
 * {@code (B, d)} against {@code (B, Tk, d)}), or a sequence {@code (..., Tq, d)} (same rank as the
 * keys: {@code (Tq, d)}, {@code (B, Tq, d)}, {@code (B, H, Tq, d)}).
 */
public final class Attention {
    /** Added to masked scores; exp of it underflows to exactly 0 in float32. */
    public static final float MASKED = -1e9f;

    private Attention() { }

    /** Returns {@code (output, weights)}. */
    public static NDList scaledDotProduct(NDArray q, NDArray k, NDArray v) {
        return scaledDotProduct(q, k, v, false);
    }

    /**
     * Returns {@code (output, weights)}; with {@code causal}, query i attends only to keys
     * j ≤ i + (Tk − Tq) (ends aligned), so future positions get weight exactly 0.
     */
    public static NDList scaledDotProduct(NDArray q, NDArray k, NDArray v, boolean causal) {
        int kRank = k.getShape().dimension();
        boolean single = q.getShape().dimension() == kRank - 1;
        if (!single && q.getShape().dimension() != kRank) {
            throw new IllegalArgumentException("query " + q.getShape() + " does not fit keys " + k.getShape());
        }
        if (single && causal) {
            throw new IllegalArgumentException("a single query per row has no causal order");
        }
        long d = k.getShape().get(kRank - 1);
        NDArray q3 = single ? q.expandDims(-2) : q;
        NDArray scores;
        // The scale as a tensor libtorch owns. DJL's div(Number) wraps the number in a Java direct buffer
        // and frees it right after the call, but autograd keeps the divisor for the backward pass, which
        // then read freed memory whenever the garbage collector ran in between (gradients slightly off
        // or not finite; reproduced by training under System.gc() pressure).
        try (NDArray scale = q.getManager().full(new Shape(), (float) Math.sqrt(d), q.getDataType())) {
            scores = q3.matMul(k.swapAxes(-1, -2)).div(scale);
        }
        if (causal) {
            long tq = q3.getShape().get(kRank - 2);
            long tk = k.getShape().get(kRank - 2);
            scores = scores.add(causalMask(q.getManager(), tq, tk).toDevice(scores.getDevice(), false));
        }
        NDArray weights = scores.softmax(-1);
        NDArray out = weights.matMul(v);
        if (single) {
            out = out.squeeze(-2);
            weights = weights.squeeze(-2);
        }
        return new NDList(out, weights);
    }

    /** Additive {@code (tq, tk)} mask: 0 where key j may be seen by query i, {@link #MASKED} for the future. */
    public static NDArray causalMask(NDManager manager, long tq, long tk) {
        float[] m = new float[(int) (tq * tk)];
        long offset = tk - tq;
        for (int i = 0; i < tq; i++) {
            for (int j = 0; j < tk; j++) {
                m[(int) (i * tk + j)] = j > i + offset ? MASKED : 0f;
            }
        }
        return manager.create(m, new Shape(tq, tk));
    }
}
