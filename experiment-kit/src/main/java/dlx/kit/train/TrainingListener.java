package dlx.kit.train;

/**
 * Behaviour around a {@link TrainingLoop}, as DJL's {@code TrainingListener}: reporting, early
 * stopping, checkpoints. Listeners run in the order they were added; any may ask the loop to stop
 * ({@link TrainingState#requestStop}).
 */
public interface TrainingListener {

    /** Before the first step (after a resume, {@code state} holds the restored epochs). */
    default void onTrainingBegin(TrainingState state) { }

    default void onStep(TrainingState state, TrainingTask.Step step) { }

    /** After an epoch's evaluation; the epoch is already in {@code state.history()}. */
    default void onEpoch(TrainingState state, EpochResult epoch) { }

    /** Once, also when the loop failed or was cancelled ({@code summary.completed()} is then false). */
    default void onTrainingEnd(TrainingState state, TrainingSummary summary) { }
}
