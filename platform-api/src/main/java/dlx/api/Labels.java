package dlx.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dimensions of a recorded value, in order: {@code Labels.of("model", "mlp", "testSet", "rot90")}.
 * Names are lower camelCase (exported to Prometheus as snake_case); values are short and may not
 * hold {@code { } , = "} or line breaks, so that a label set reads back from its text form
 * {@code {model=mlp,testSet=rot90}}. The platform's own labels ({@code experiment}, {@code runId},
 * {@code task}, {@code status}) are reserved.
 */
public final class Labels {
    public static final Labels NONE = new Labels(Map.of());

    private static final Pattern NAME = Pattern.compile("[a-z][a-zA-Z0-9]*");
    private static final Pattern BAD_VALUE = Pattern.compile("[{},=\"\\\\\\r\\n]");
    private static final Set<String> RESERVED = Set.of("experiment", "runId", "task", "status", "job", "instance");

    private final Map<String, String> values;

    private Labels(Map<String, String> values) {
        this.values = values;
    }

    /** Pairs of name and value: {@code of("model", "mlp")}, {@code of("model", "mlp", "testSet", "rot90")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs, got " + namesAndValues.length + " strings");
        }
        Labels l = NONE;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            l = l.and(namesAndValues[i], namesAndValues[i + 1]);
        }
        return l;
    }

    /** These labels plus one more (its name must be new). */
    public Labels and(String name, String value) {
        Objects.requireNonNull(name, "label name");
        Objects.requireNonNull(value, () -> "value of label '" + name + "'");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("label name '" + name + "' must be lower camelCase (letters and digits)");
        }
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("label name '" + name + "' is reserved for the platform");
        }
        if (value.isEmpty() || BAD_VALUE.matcher(value).find()) {
            throw new IllegalArgumentException("value '" + value + "' of label '" + name
                    + "' must be non-empty text without { } , = \" \\ or line breaks");
        }
        if (values.containsKey(name)) {
            throw new IllegalArgumentException("label '" + name + "' is given twice");
        }
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new Labels(Collections.unmodifiableMap(copy));
    }

    /** Names to values, in the order given. */
    public Map<String, String> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code {model=mlp,testSet=rot90}}, or the empty string for no labels. */
    public String text() {
        if (values.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("{");
        values.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append(k).append('=').append(v));
        return s.append('}').toString();
    }

    /** Reads {@link #text()} back; the empty string gives {@link #NONE}. */
    public static Labels parse(String text) {
        if (text.isEmpty()) {
            return NONE;
        }
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw new IllegalArgumentException("'" + text + "' is not a label set such as {model=mlp}");
        }
        Labels l = NONE;
        String body = text.substring(1, text.length() - 1);
        if (body.isEmpty()) {
            return l;
        }
        for (String pair : body.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + text + "' is not a label set such as {model=mlp}");
            }
            l = l.and(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return l;
    }

    /** A recorded key with its labels: {@code accuracy{model=mlp}}. */
    public String qualify(String key) {
        return key + text();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && values.equals(other.values) && values.keySet().toString().equals(other.values.keySet().toString());
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
