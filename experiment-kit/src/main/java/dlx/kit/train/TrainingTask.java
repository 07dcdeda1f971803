package dlx.kit.train;

import java.util.Map;

/**
 * What a model contributes to a {@link TrainingLoop}: one optimisation step on the next training
 * batch, and an evaluation after each epoch. Everything else (epochs, early stopping, timing,
 * progress, reporting, checkpoints, cancellation) belongs to the loop and its listeners.
 */
public interface TrainingTask {

    /** Called before the first step of every epoch (reshuffle the data here); epochs count from 1. */
    default void beginEpoch(int epoch) throws Exception { }

    /**
     * Forward, backward and update on the next batch. A step whose loss or gradient is not finite
     * must leave the parameters unchanged and return {@link Step#skipped}.
     */
    Step step(TrainingState state) throws Exception;

    /** Measures the model after an epoch, e.g. {@code {valLoss: 1.23, valAccuracy: 0.81}}; may be empty. */
    Map<String, Double> evaluate() throws Exception;

    /** The outcome of one step: its mean loss and how many items (examples, tokens) it trained on. */
    record Step(double loss, long items, boolean applied) {
        public static Step of(double loss, long items) {
            return new Step(loss, items, true);
        }

        /** The update was not applied (non-finite loss or gradient). */
        public static Step skipped(long items) {
            return new Step(Double.NaN, items, false);
        }
    }
}
