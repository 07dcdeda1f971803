package dlx.api;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated parameters of one run: every declared parameter with the user's value or the
 * profile's default. Built with {@link #resolve}, which rejects unknown names and bad values
 * before anything runs.
 */
public final class Params {
    private final String experimentId;
    private final Map<String, Object> values;

    private Params(String experimentId, Map<String, Object> values) {
        this.experimentId = experimentId;
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Validates user-given values (raw text by name) against the spec; the profile comes from the
     * user's {@code profile} value when given, else from {@code defaultProfile}.
     */
    public static Params resolve(ExperimentSpec spec, Map<String, String> given, Profile defaultProfile) {
        for (String name : given.keySet()) {
            if (spec.param(name).isEmpty()) {
                throw new ParamException("unknown parameter '" + name + "' for " + spec.id()
                        + "; its parameters are: " + String.join(", ", spec.params().keySet()));
            }
        }
        Profile profile = defaultProfile;
        if (given.containsKey(ExperimentSpec.PROFILE)) {
            profile = Profile.parse((String) spec.params().get(ExperimentSpec.PROFILE).parse(spec.id(), given.get(ExperimentSpec.PROFILE)));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec p : spec.params().values()) {
            String raw = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultText(profile);
            values.put(p.name(), p.parse(spec.id(), raw));
        }
        values.put(ExperimentSpec.PROFILE, profile.id());
        return new Params(spec.id(), values);
    }

    public Profile profile() { return Profile.parse((String) values.get(ExperimentSpec.PROFILE)); }
    public boolean quick() { return profile() == Profile.QUICK; }
    public long seed() { return ((Number) values.get(ExperimentSpec.SEED)).longValue(); }

    public int integer(String name) { return ((Number) require(name)).intValue(); }
    public double decimal(String name) { return ((Number) require(name)).doubleValue(); }
    public boolean bool(String name) { return (Boolean) require(name); }
    public String string(String name) { return (String) require(name); }
    public Optional<Path> path(String name) { return Optional.ofNullable((Path) get(name)); }

    @SuppressWarnings("unchecked")
    public List<Integer> intList(String name) { return (List<Integer>) require(name); }

    @SuppressWarnings("unchecked")
    public List<Double> doubleList(String name) { return (List<Double>) require(name); }

    @SuppressWarnings("unchecked")
    public List<String> stringList(String name) { return (List<String>) require(name); }

    /** All values, in declaration order, as they go into the result's {@code params}. */
    public Map<String, Object> asMap() { return values; }

    private Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(experimentId + " has no parameter '" + name + "'");
        }
        return values.get(name);
    }

    private Object require(String name) {
        Object v = get(name);
        if (v == null) {
            throw new ParamException("parameter '" + name + "' of " + experimentId + " has no value; pass --param " + name + "=...");
        }
        return v;
    }
}
