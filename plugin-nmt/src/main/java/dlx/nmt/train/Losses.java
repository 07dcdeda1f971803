package dlx.nmt.train;

import ai.djl.ndarray.NDArray;

/** Cross-entropy of logits {@code (..., V)} against int64 labels {@code (...)}, optionally masked. */
public final class Losses {
    private Losses() { }

    /** Mean negative log-likelihood over the positions where {@code mask} is 1 (all when null). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, NDArray mask) {
        NDArray logp = logits.logSoftmax(-1);
        NDArray nll = logp.gather(labels.expandDims(-1), -1).squeeze(-1).neg();
        if (mask == null) {
            return nll.mean();
        }
        return nll.mul(mask).sum().div(mask.sum().maximum(1f));
    }
}
