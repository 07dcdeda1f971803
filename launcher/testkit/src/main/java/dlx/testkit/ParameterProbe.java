package dlx.testkit;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamException;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Params;
import dlx.api.Plugin;
import dlx.api.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks every parameter of an experiment with values of the wrong type, empty, non-finite, out of
 * range and at both bounds, and checks that validation refuses each bad one with a message naming
 * the parameter and the value (so {@code dlx run} exits 2 before anything runs) and accepts each
 * bound. Returns the problems found; none means the spec refuses every bad value up front.
 */
public final class ParameterProbe {
    private ParameterProbe() { }

    /** One value tried: whether it must be refused, and why it was tried. */
    record Probe(String value, boolean mustRefuse, String why) { }

    /** The problems of every experiment a plugin offers (created with their public or injectable constructor). */
    public static List<String> problems(Plugin plugin) {
        List<String> problems = new ArrayList<>();
        for (Class<? extends Experiment> type : plugin.experiments()) {
            problems.addAll(problems(ExperimentTestKit.create(type).spec()));
        }
        return problems;
    }

    public static List<String> problems(ExperimentSpec spec) {
        List<String> problems = new ArrayList<>();
        for (ParamSpec p : spec.params().values()) {
            for (Probe probe : probes(p)) {
                Map<String, String> given = new LinkedHashMap<>();
                given.put(p.name(), probe.value());
                try {
                    for (Profile profile : Profile.values()) {
                        Params.resolve(spec, given, profile);
                    }
                    if (probe.mustRefuse()) {
                        problems.add(spec.id() + ": " + p.name() + "=" + probe.value() + " (" + probe.why() + ") was accepted");
                    }
                } catch (ParamException e) {
                    if (!probe.mustRefuse()) {
                        problems.add(spec.id() + ": " + p.name() + "=" + probe.value() + " (" + probe.why()
                                + ") was refused: " + e.getMessage());
                    } else if (!e.getMessage().contains("'" + p.name() + "'") || !e.getMessage().contains(probe.value())) {
                        problems.add(spec.id() + ": the refusal of " + p.name() + "=" + probe.value()
                                + " does not name the parameter and the value: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    problems.add(spec.id() + ": " + p.name() + "=" + probe.value() + " (" + probe.why() + ") threw "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
        return problems;
    }

    static List<Probe> probes(ParamSpec p) {
        List<Probe> out = new ArrayList<>();
        ParamType t = p.type();
        switch (t) {
            case INT -> out.addAll(List.of(new Probe("abc", true, "not a number"), new Probe("1.5", true, "not an integer"),
                    new Probe("99999999999", true, "beyond int")));
            case DOUBLE -> out.addAll(List.of(new Probe("abc", true, "not a number"), new Probe("NaN", !p.allowsNonFinite(), "NaN"),
                    new Probe("Infinity", !p.allowsNonFinite() || p.max() != null, "infinite"),
                    new Probe("-Infinity", !p.allowsNonFinite() || p.min() != null, "infinite")));
            case BOOLEAN -> out.addAll(List.of(new Probe("maybe", true, "not a boolean"), new Probe("", true, "empty")));
            case CHOICE -> out.addAll(List.of(new Probe("no-such-choice", true, "not a choice"), new Probe("", true, "empty")));
            case PATH -> out.add(new Probe("", true, "empty path"));
            case INT_LIST -> out.addAll(List.of(new Probe("1,x", true, "an element is not a number"),
                    new Probe("1.5", true, "an element is not an integer")));
            case DOUBLE_LIST -> out.addAll(List.of(new Probe("1,x", true, "an element is not a number"),
                    new Probe("1,Infinity", !p.allowsNonFinite() || p.max() != null, "an infinite element"),
                    new Probe("NaN", !p.allowsNonFinite(), "a NaN element")));
            case STRING_LIST -> {
                if (!p.choices().isEmpty()) {
                    out.add(new Probe("no-such-value", true, "an element that is not allowed"));
                }
            }
            case STRING -> { }
        }
        if (p.isList()) {
            out.add(new Probe("", !p.allowsEmpty(), "empty list"));
            out.add(new Probe(" , ", !p.allowsEmpty(), "a list of blanks"));
        }
        boolean numeric = t == ParamType.INT || t == ParamType.DOUBLE || t == ParamType.INT_LIST || t == ParamType.DOUBLE_LIST;
        boolean integral = t == ParamType.INT || t == ParamType.INT_LIST;
        if (numeric && p.min() != null) {
            out.add(new Probe(number(p.min(), integral), false, "the lower bound"));
            out.add(new Probe(number(integral ? p.min() - 1 : p.min() - Math.max(1e-9, Math.abs(p.min()) * 1e-6), integral), true,
                    "below the lower bound"));
        }
        if (numeric && p.max() != null) {
            out.add(new Probe(number(p.max(), integral), false, "the upper bound"));
            out.add(new Probe(number(integral ? p.max() + 1 : p.max() + Math.max(1e-9, Math.abs(p.max()) * 1e-6), integral), true,
                    "above the upper bound"));
        }
        return out;
    }

    private static String number(double v, boolean integral) {
        return integral ? Long.toString((long) v) : Double.toString(v);
    }
}
