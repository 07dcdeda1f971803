package dlx.api;

/**
 * Progress of one long task of a run: drawn as a bar on the terminal (when it is one) and
 * published as {@code dlx_progress_ratio{experiment,task}}.
 */
public interface Progress extends AutoCloseable {

    /** One unit done. */
    default void step() {
        advance(1);
    }

    void advance(long units);

    /** A short status shown after the bar, e.g. the current loss. */
    void status(String text);

    @Override
    void close();
}
