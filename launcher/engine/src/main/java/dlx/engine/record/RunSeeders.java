package dlx.engine.record;

import dlx.api.RunSeeding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@link RunSeeding} services a plugin sees: found in the plugin's module layer (and its
 * parents, where the experiment kit sits) and provided by a module the plugin reads (a plugin
 * that requires only the platform API starts no engine), or, for a plugin on the class path (its
 * own tests), through its class loader. Before a run every one seeds its libraries' generators from the run's
 * seed; after it, their answers make the result's {@code environment.determinism}.
 */
public final class RunSeeders {
    private final List<RunSeeding> providers;
    private final List<String> seeded = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private RunSeeders(List<RunSeeding> providers) {
        this.providers = providers;
    }

    /** The providers visible to {@code experimentClass}; one that cannot be created is reported when seeding. */
    public static RunSeeders visibleTo(Class<?> experimentClass) {
        Module module = experimentClass.getModule();
        ServiceLoader<RunSeeding> loader = module.isNamed() && module.getLayer() != null
                ? ServiceLoader.load(module.getLayer(), RunSeeding.class)
                : ServiceLoader.load(RunSeeding.class, experimentClass.getClassLoader());
        List<RunSeeding> found = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        RunSeeders seeders = new RunSeeders(found);
        try {
            for (ServiceLoader.Provider<RunSeeding> p : (Iterable<ServiceLoader.Provider<RunSeeding>>) loader.stream()::iterator) {
                // A library's seeding concerns the plugins that use it: those whose module reads the provider's.
                if (module.isNamed() && !module.canRead(p.type().getModule())) {
                    continue;
                }
                if (types.add(p.type().getName())) {
                    found.add(p.get());
                }
            }
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            seeders.problems.add("a seeding service could not be created: " + e);
        }
        return seeders;
    }

    /** Seeds every provider's generators with {@code seed}; a provider that fails is logged and makes the run not bit-exact. */
    public void seed(long seed, Consumer<String> log) {
        for (RunSeeding p : providers) {
            try {
                seeded.addAll(p.seed(seed));
            } catch (RuntimeException | LinkageError e) {
                String problem = p.getClass().getName() + " could not seed its generators: " + e;
                problems.add(problem);
                log.accept(problem);
            }
        }
    }

    /**
     * {@code environment.determinism}: {@code bitExact}, a one-line {@code statement}, what was
     * {@code seeded}, and per library used whether it repeats bit for bit and why.
     */
    public Map<String, Object> determinism(long seed) {
        List<RunSeeding.Determinism> used = new ArrayList<>();
        for (RunSeeding p : providers) {
            try {
                used.addAll(p.determinism());
            } catch (RuntimeException | LinkageError e) {
                problems.add(p.getClass().getName() + " could not say how the run used its libraries: " + e);
            }
        }
        boolean exact = problems.isEmpty() && used.stream().allMatch(RunSeeding.Determinism::bitExact);
        StringBuilder statement = new StringBuilder(exact ? "bit-exact for seed " + seed + " on this machine: "
                : "not promised bit-exact for seed " + seed + ": ");
        if (used.isEmpty()) {
            statement.append("plain Java (its generators are seeded from the run's seed)");
        } else {
            List<String> parts = new ArrayList<>();
            // When not bit-exact, only the libraries that are the reason.
            used.stream().filter(d -> exact || !d.bitExact()).forEach(d -> parts.add(d.library() + " (" + d.why() + ")"));
            statement.append(String.join("; ", parts));
        }
        problems.forEach(p -> statement.append("; ").append(p));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bitExact", exact);
        out.put("statement", statement.toString());
        out.put("seeded", List.copyOf(seeded));
        List<Map<String, Object>> libraries = new ArrayList<>();
        for (RunSeeding.Determinism d : used) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("library", d.library());
            l.put("bitExact", d.bitExact());
            l.put("why", d.why());
            libraries.add(l);
        }
        out.put("libraries", libraries);
        return out;
    }
}
