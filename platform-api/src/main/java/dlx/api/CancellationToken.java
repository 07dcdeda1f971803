package dlx.api;

import java.util.concurrent.CancellationException;

/** Tells a run that it should stop; the run checks it between steps. */
public interface CancellationToken {

    boolean isCancelled();

    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("the run was cancelled");
        }
    }

    /** A token that is never cancelled. */
    static CancellationToken none() {
        return () -> false;
    }
}
