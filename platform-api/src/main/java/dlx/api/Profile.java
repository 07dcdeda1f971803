package dlx.api;

import java.util.Locale;

/** Size of a run: {@code quick} finishes in well under a minute on 2 cores, {@code full} is the real study. */
public enum Profile {
    QUICK, FULL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Profile parse(String text) {
        for (Profile p : values()) {
            if (p.id().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("profile '" + text + "' is not one of quick, full");
    }
}
