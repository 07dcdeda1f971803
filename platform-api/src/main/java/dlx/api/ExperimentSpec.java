package dlx.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an experiment is: id, title, description and its parameters. Every experiment also takes
 * the platform parameters {@code profile} (quick|full) and {@code seed}.
 */
public final class ExperimentSpec {
    public static final String PROFILE = "profile";
    public static final String SEED = "seed";

    private final String id;
    private final String title;
    private final String description;
    private final Map<String, ParamSpec> params;
    private final boolean benchmark;
    private final java.time.Duration timeout;

    private ExperimentSpec(String id, String title, String description, List<ParamSpec> own, boolean benchmark,
                           java.time.Duration timeout) {
        if (!id.matches("[a-z][a-z0-9]*(\\.[a-z0-9][a-z0-9-]*)+")) {
            throw new IllegalArgumentException("experiment id '" + id + "' must look like plugin.name (lower case, digits, '-')");
        }
        this.id = id;
        this.title = title;
        this.description = description;
        this.benchmark = benchmark;
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException(id + " declares a time limit of " + timeout + "; it must be positive");
        }
        this.timeout = timeout;
        Map<String, ParamSpec> all = new LinkedHashMap<>();
        all.put(PROFILE, ParamSpec.choice(PROFILE, "full", "quick", "full")
                .help("quick: seconds on 2 CPU cores (tests, CI); full: the real study").build());
        all.put(SEED, ParamSpec.integer(SEED, 42).help("seed of every random choice of the run").build());
        for (ParamSpec p : own) {
            if (all.put(p.name(), p) != null) {
                throw new IllegalArgumentException(id + " declares parameter '" + p.name() + "' twice (or shadows a platform parameter)");
            }
        }
        this.params = Collections.unmodifiableMap(all);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String id() { return id; }
    public String title() { return title; }
    public String description() { return description; }
    public Map<String, ParamSpec> params() { return params; }
    public Optional<ParamSpec> param(String name) { return Optional.ofNullable(params.get(name)); }

    /** A benchmark: run by {@code dlx bench}, left out of {@code dlx run all} and globs. */
    public boolean benchmark() { return benchmark; }

    /** How long one run may take by default (the supervisor stops it then); {@code dlx run --timeout} overrides it. */
    public Optional<java.time.Duration> timeout() { return Optional.ofNullable(timeout); }



    public static final class Builder {
        private final String id;
        private String title = "";
        private String description = "";
        private final List<ParamSpec> params = new ArrayList<>();
        private boolean benchmark;
        private java.time.Duration timeout;

        private Builder(String id) { this.id = id; }

        public Builder title(String t) { this.title = t; return this; }
        public Builder description(String d) { this.description = d; return this; }
        public Builder param(ParamSpec p) { params.add(p); return this; }
        public Builder param(ParamSpec.Builder p) { return param(p.build()); }
        /** Marks a performance measurement (examples/s, tokens/s) rather than a study. */
        public Builder benchmark() { this.benchmark = true; return this; }
        /** The default time limit of a run of this experiment (else the profile's: quick 30 min, full none). */
        public Builder timeout(java.time.Duration limit) { this.timeout = limit; return this; }
        public ExperimentSpec build() { return new ExperimentSpec(id, title, description, params, benchmark, timeout); }
    }
}
