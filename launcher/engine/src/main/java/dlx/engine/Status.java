package dlx.engine;

import java.util.Locale;

/** Outcome of a run, as written in {@code result.json}. */
public enum Status {
    OK, FAILED, SKIPPED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
