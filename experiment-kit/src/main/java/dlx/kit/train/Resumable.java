package dlx.kit.train;

/** A listener that can put a loop back where an earlier attempt left it (a checkpoint). */
public interface Resumable {

    /**
     * Restores the model and {@code state} ({@link TrainingState#restore}) when there is
     * something to resume from; returns whether it did. Called once, before training begins.
     */
    boolean restore(TrainingState state) throws Exception;
}
