package dlx.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A typed experiment parameter: name, type, default (optionally different for the quick
 * profile), allowed range or values, and help text. Defaults are written as the user would
 * type them and are validated like user input.
 */
public final class ParamSpec {
    private final String name;
    private final ParamType type;
    private final String fullDefault;
    private final String quickDefault;
    private final Double min;
    private final Double max;
    private final List<String> choices;
    private final String help;
    private final boolean allowEmpty;
    private final boolean allowNonFinite;

    private ParamSpec(Builder b) {
        this.name = Objects.requireNonNull(b.name);
        this.type = Objects.requireNonNull(b.type);
        this.fullDefault = b.fullDefault;
        this.quickDefault = b.quickDefault == null ? b.fullDefault : b.quickDefault;
        this.min = b.min;
        this.max = b.max;
        this.choices = List.copyOf(b.choices);
        this.help = b.help == null ? "" : b.help;
        // A list whose declared default is empty means "none given": empty is then a valid value.
        this.allowEmpty = b.allowEmpty || (isList() && b.fullDefault != null && b.fullDefault.isBlank());
        this.allowNonFinite = b.allowNonFinite;
        if (type == ParamType.CHOICE && choices.isEmpty()) {
            throw new IllegalStateException("choice parameter '" + name + "' declares no choices");
        }
    }

    public static Builder integer(String name, int fullDefault) {
        return new Builder(name, ParamType.INT).defaultValue(Integer.toString(fullDefault));
    }

    public static Builder decimal(String name, double fullDefault) {
        return new Builder(name, ParamType.DOUBLE).defaultValue(Double.toString(fullDefault));
    }

    public static Builder bool(String name, boolean fullDefault) {
        return new Builder(name, ParamType.BOOLEAN).defaultValue(Boolean.toString(fullDefault));
    }

    public static Builder string(String name, String fullDefault) {
        return new Builder(name, ParamType.STRING).defaultValue(fullDefault);
    }

    public static Builder choice(String name, String fullDefault, String... choices) {
        return new Builder(name, ParamType.CHOICE).defaultValue(fullDefault).choices(List.of(choices));
    }

    /** A path parameter; {@code null} default means "not configured". */
    public static Builder path(String name) {
        return new Builder(name, ParamType.PATH);
    }

    public static Builder list(String name, ParamType listType, String fullDefault) {
        if (listType != ParamType.INT_LIST && listType != ParamType.DOUBLE_LIST && listType != ParamType.STRING_LIST) {
            throw new IllegalArgumentException(listType + " is not a list type");
        }
        return new Builder(name, listType).defaultValue(fullDefault);
    }

    public boolean isList() {
        return type == ParamType.INT_LIST || type == ParamType.DOUBLE_LIST || type == ParamType.STRING_LIST;
    }

    /** Whether an empty list is a valid value. */
    public boolean allowsEmpty() { return allowEmpty; }

    /** Whether NaN and infinities are valid numbers (refused unless the parameter says so). */
    public boolean allowsNonFinite() { return allowNonFinite; }

    public String name() { return name; }
    public ParamType type() { return type; }
    public String help() { return help; }
    public List<String> choices() { return choices; }
    public Double min() { return min; }
    public Double max() { return max; }

    /** The default as typed text for the profile, or null when the parameter is unset by default. */
    public String defaultText(Profile profile) {
        return profile == Profile.QUICK ? quickDefault : fullDefault;
    }

    /** What is allowed, in words, for help and error messages. */
    public String allowed() {
        StringBuilder s = new StringBuilder(switch (type) {
            case INT -> "an integer";
            case DOUBLE -> "a number";
            case BOOLEAN -> "true or false";
            case STRING -> "text";
            case CHOICE -> "one of " + String.join(", ", choices);
            case PATH -> "a file or folder path";
            case INT_LIST -> "comma-separated integers";
            case DOUBLE_LIST -> "comma-separated numbers";
            case STRING_LIST -> choices.isEmpty() ? "comma-separated values" : "comma-separated values of " + String.join(", ", choices);
        });
        if (min != null && max != null) {
            s.append(" in [").append(fmt(min)).append(", ").append(fmt(max)).append(']');
        } else if (min != null) {
            s.append(" >= ").append(fmt(min));
        } else if (max != null) {
            s.append(" <= ").append(fmt(max));
        }
        if (isList() && !allowEmpty) {
            s.append(" (at least one)");
        }
        return s.toString();
    }

    /** Parses and validates a raw value; the error names the experiment, parameter, value and what is allowed. */
    public Object parse(String experimentId, String raw) {
        if (raw == null) {
            return null;
        }
        if (isList() && !allowEmpty && split(raw).isEmpty()) {
            throw invalid(experimentId, raw);
        }
        try {
            return switch (type) {
                case INT -> checkRange(experimentId, raw, Integer.parseInt(raw.trim()));
                case DOUBLE -> checkRange(experimentId, raw, Double.parseDouble(raw.trim()));
                case BOOLEAN -> parseBoolean(experimentId, raw);
                case STRING -> raw;
                case CHOICE -> parseChoice(experimentId, raw);
                case PATH -> {
                    if (raw.isBlank()) {
                        throw invalid(experimentId, raw);
                    }
                    yield Path.of(raw.trim());
                }
                case INT_LIST -> {
                    List<Integer> out = new ArrayList<>();
                    for (String part : split(raw)) {
                        out.add(checkRange(experimentId, raw, Integer.parseInt(part)));
                    }
                    yield List.copyOf(out);
                }
                case DOUBLE_LIST -> {
                    List<Double> out = new ArrayList<>();
                    for (String part : split(raw)) {
                        out.add(checkRange(experimentId, raw, Double.parseDouble(part)));
                    }
                    yield List.copyOf(out);
                }
                case STRING_LIST -> {
                    List<String> values = split(raw);
                    for (String v : values) {
                        if (!choices.isEmpty() && !choices.contains(v)) {
                            throw invalid(experimentId, raw);
                        }
                    }
                    yield List.copyOf(values);
                }
            };
        } catch (NumberFormatException | java.nio.file.InvalidPathException e) {
            throw invalid(experimentId, raw);
        }
    }

    private static List<String> split(String raw) {
        List<String> parts = new ArrayList<>();
        for (String p : raw.split(",")) {
            if (!p.isBlank()) {
                parts.add(p.trim());
            }
        }
        return parts;
    }

    private Boolean parseBoolean(String experimentId, String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        throw invalid(experimentId, raw);
    }

    private String parseChoice(String experimentId, String raw) {
        for (String c : choices) {
            if (c.equalsIgnoreCase(raw.trim())) {
                return c;
            }
        }
        throw invalid(experimentId, raw);
    }

    private <N extends Number> N checkRange(String experimentId, String raw, N value) {
        double v = value.doubleValue();
        if ((!allowNonFinite && !Double.isFinite(v)) || (min != null && v < min) || (max != null && v > max)) {
            throw invalid(experimentId, raw);
        }
        return value;
    }

    private ParamException invalid(String experimentId, String raw) {
        return new ParamException("parameter '" + name + "' of " + experimentId + ": value '" + raw
                + "' is not allowed; expected " + allowed() + ((type == ParamType.DOUBLE || type == ParamType.DOUBLE_LIST)
                && !allowNonFinite ? " (finite)" : ""));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    public static final class Builder {
        private final String name;
        private final ParamType type;
        private String fullDefault;
        private String quickDefault;
        private Double min;
        private Double max;
        private List<String> choices = List.of();
        private String help;
        private boolean allowEmpty;
        private boolean allowNonFinite;

        private Builder(String name, ParamType type) {
            this.name = name;
            this.type = type;
        }

        public Builder defaultValue(String text) { this.fullDefault = text; return this; }
        /** A smaller default used by the quick profile. */
        public Builder quick(String text) { this.quickDefault = text; return this; }
        public Builder quick(int value) { return quick(Integer.toString(value)); }
        public Builder quick(double value) { return quick(Double.toString(value)); }
        public Builder min(double v) { this.min = v; return this; }
        public Builder max(double v) { this.max = v; return this; }
        public Builder range(double lo, double hi) { return min(lo).max(hi); }
        /** The allowed values of a choice, or of each element of a text list. */
        public Builder choices(List<String> c) { this.choices = c; return this; }
        public Builder choices(String... c) { return choices(List.of(c)); }
        /** A list parameter that may be empty (by default at least one value is required). */
        public Builder allowEmpty() { this.allowEmpty = true; return this; }
        /** A number that may be NaN or infinite (refused by default). */
        public Builder allowNonFinite() { this.allowNonFinite = true; return this; }
        public Builder help(String h) { this.help = h; return this; }
        public ParamSpec build() { return new ParamSpec(this); }
    }
}
