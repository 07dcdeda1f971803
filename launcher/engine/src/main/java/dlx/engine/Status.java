package dlx.engine;

import java.util.Locale;

/**
 * Outcome of a run. {@code ok}, {@code failed}, {@code skipped} and {@code cancelled} (stopped
 * by Ctrl-C or SIGTERM; it runs again, resuming, next time) are written in {@code result.json}; {@code cached} (an earlier attempt of the same run id finished ok, nothing
 * ran) and {@code locked} (another live process is running that run id) only describe what one
 * invocation did.
 */
public enum Status {
    OK, FAILED, SKIPPED, CANCELLED, CACHED, LOCKED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status parse(String id) {
        for (Status s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status '" + id + "' is not one of ok, failed, skipped, cancelled");
    }
}
