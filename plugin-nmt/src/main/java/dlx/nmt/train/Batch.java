package dlx.nmt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One batch: model inputs, target token ids (int64, same shape as the logits less the class
 * axis), an optional 0/1 float mask of the targets that count in the loss, and the number of
 * tokens it trains on (for tokens per second).
 */
public record Batch(NDList inputs, NDArray labels, NDArray mask, long tokens) {
}
