package dlx.launcher.worker;

import dlx.api.ExperimentSpec;
import dlx.api.Profile;
import dlx.launcher.UsageException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long one run may take before the supervisor stops its worker and records it {@code failed}.
 * Precedence: {@code --timeout} > the experiment's spec ({@link ExperimentSpec#timeout()}) > the
 * profile's default: {@code quick} 30 minutes (a quick run takes seconds to a few minutes: 30 min
 * means it hangs), {@code full} none (a full study may train for days).
 */
public final class TimeLimits {
    public static final Duration QUICK_DEFAULT = Duration.ofMinutes(30);
    private static final Pattern UNITS = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private TimeLimits() { }

    /** The limit of one run; empty: none. {@code option}: the parsed {@code --timeout}, null when not given. */
    public static Optional<Duration> of(Optional<Duration> option, ExperimentSpec spec, Profile profile) {
        if (option != null) {
            return option;
        }
        Optional<Duration> declared = spec.timeout();
        if (declared.isPresent()) {
            return declared;
        }
        return profile == Profile.QUICK ? Optional.of(QUICK_DEFAULT) : Optional.empty();
    }

    /**
     * The {@code --timeout} option of {@code dlx run} and {@code dlx sweep}: null when not given (the
     * spec's or the profile's limit applies), else {@link #parse}d; a bad value is a usage error.
     */
    public static Optional<Duration> option(String text) {
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}, {@code 1d}, {@code 500ms}, ISO-8601
     * ({@code PT5S}); {@code none} or {@code 0}: no limit (empty).
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Optional<Duration> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.equals("0")) {
            return Optional.empty();
        }
        Duration d = null;
        if (t.startsWith("p")) {
            try {
                d = Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                d = null;
            }
        } else if (!t.isEmpty()) {
            Matcher m = UNITS.matcher(t);
            int end = 0;
            Duration sum = Duration.ZERO;
            while (m.find() && m.start() == end) {
                double v = Double.parseDouble(m.group(1));
                long millis = Math.round(v * switch (m.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1_000;
                    case "m" -> 60_000;
                    case "h" -> 3_600_000;
                    default -> 86_400_000;
                });
                sum = sum.plusMillis(millis);
                end = m.end();
            }
            d = end == t.length() ? sum : null;
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--timeout '" + text + "' is not a duration: use e.g. 90s, 30m, 2h, 1h30m, 1d,"
                    + " PT5S, or none");
        }
        return Optional.of(d);
    }

    /** {@code 5s}, {@code 30m}, {@code 1h30m}: how the limit is named in messages. */
    public static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || b.length() == 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
