package dlx.testkit;

import dlx.api.Configuration;
import dlx.api.DataLocations;
import dlx.api.Device;
import dlx.api.Experiment;
import dlx.api.Params;
import dlx.api.Profile;
import dlx.engine.ExperimentResult;
import dlx.engine.ExperimentRunner;
import dlx.engine.RunSettings;
import dlx.engine.config.PlatformConfig;
import dlx.engine.meters.ProgressBars;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one experiment in a plugin's own tests the way the launcher runs it (validated parameters,
 * the run engine, result files, meters), in the spirit of JUnit's {@code EngineTestKit}:
 *
 * <pre>{@code
 * ExperimentResult r = ExperimentTestKit.quick(new MyExperiment()).param("epochs", 2).in(tempDir).run();
 * }</pre>
 *
 * Bad parameters throw {@link dlx.api.ParamException} before anything runs. Data locations come
 * from the platform configuration ({@code DLX_DATA}, {@code DLX_CACHE}) unless given.
 */
public final class ExperimentTestKit {
    private final Experiment experiment;
    private final Profile profile;
    private final Map<String, String> params = new LinkedHashMap<>();
    private Path outRoot;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private DataLocations data = PlatformConfig.fromSystem().dataLocations();
    private Device device = Device.CPU;
    private String plugin = "test";
    private final List<String> log = new ArrayList<>();
    private boolean rerun;
    private ExperimentResult last;

    private ExperimentTestKit(Experiment experiment, Profile profile) {
        this.experiment = experiment;
        this.profile = profile;
    }

    /**
     * An experiment made from its class as the platform makes it: the no-argument constructor, or
     * the {@code @Inject} one given the platform services it asks for (a {@link Configuration} with
     * nothing set, the configured {@link DataLocations}).
     */
    public static Experiment create(Class<? extends Experiment> type) {
        try {
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (c.getParameterCount() == 0 || c.isAnnotationPresent(jakarta.inject.Inject.class)) {
                    Object[] args = new Object[c.getParameterCount()];
                    for (int i = 0; i < args.length; i++) {
                        Class<?> want = c.getParameterTypes()[i];
                        if (want == Configuration.class) {
                            args[i] = (Configuration) key -> Optional.empty();
                        } else if (want == DataLocations.class) {
                            args[i] = PlatformConfig.fromSystem().dataLocations();
                        } else {
                            throw new IllegalArgumentException(type.getName() + " wants a " + want.getName()
                                    + " injected; probe it with problems(spec) instead");
                        }
                    }
                    c.setAccessible(true);
                    return (Experiment) c.newInstance(args);
                }
            }
            throw new IllegalArgumentException(type.getName() + " has neither a no-argument nor an @Inject constructor");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName() + ": " + e, e);
        }
    }

    /** The quick profile (seconds on 2 cores): what plugin tests normally run. */
    public static ExperimentTestKit quick(Experiment experiment) {
        return new ExperimentTestKit(experiment, Profile.QUICK);
    }

    /** The full profile's defaults (set the parameters that keep it small). */
    public static ExperimentTestKit full(Experiment experiment) {
        return new ExperimentTestKit(experiment, Profile.FULL);
    }

    /** A parameter as the user would type it on the command line. */
    public ExperimentTestKit param(String name, Object value) {
        params.put(name, String.valueOf(value));
        return this;
    }

    public ExperimentTestKit params(Map<String, ?> values) {
        values.forEach(this::param);
        return this;
    }

    /** The results folder (the run writes into {@code <dir>/<experiment id>/}); a fresh temp folder by default. */
    public ExperimentTestKit in(Path resultsDir) {
        this.outRoot = resultsDir;
        return this;
    }

    public ExperimentTestKit registry(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        return this;
    }

    public ExperimentTestKit data(DataLocations locations) {
        this.data = locations;
        return this;
    }

    /** Data locations with the given user data folder and the configured cache. */
    public ExperimentTestKit dataDir(Path userDataDir) {
        Path cache = data.cacheDir();
        this.data = new DataLocations() {
            @Override
            public Optional<Path> userDataDir() {
                return Optional.ofNullable(userDataDir);
            }

            @Override
            public Path cacheDir() {
                return cache;
            }
        };
        return this;
    }

    /** The requested device; {@link Device#CPU} by default so that tests are the same on every machine. */
    public ExperimentTestKit device(Device requested) {
        this.device = requested;
        return this;
    }

    /** The plugin name written into the result. */
    public ExperimentTestKit plugin(String name) {
        this.plugin = name;
        return this;
    }

    /** Runs the configuration again even when an earlier run of it in the same folder finished ok. */
    public ExperimentTestKit rerun() {
        this.rerun = true;
        return this;
    }

    /**
     * Runs it; the result is also written under the results folder. As with {@code dlx run}, a
     * configuration that already finished ok in the same results folder is not run again (its
     * result comes back with status {@code cached}) unless {@link #rerun()} was asked.
     */
    public ExperimentResult run() {
        try {
            Path root = outRoot != null ? outRoot : Files.createTempDirectory("dlx-testkit-");
            outRoot = root;
            RunSettings settings = new RunSettings(root, registry, data, device, ProgressBars.none(registry),
                    log::add, new AtomicBoolean(), rerun);
            last = new ExperimentRunner(settings).run(experiment, plugin, params, profile);
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder the last run wrote into ({@code <results>/<experiment id>/<run id>}); valid after {@link #run()}. */
    public Path outputDir() {
        if (last == null) {
            throw new IllegalStateException("run() first");
        }
        return outRoot.resolve(experiment.spec().id()).resolve(last.runId());
    }

    /**
     * The folder a run of the configuration given so far will write into (its run id is known
     * before it runs): for tests that prepare files in it, e.g. a checkpoint to resume from.
     */
    public Path plannedOutputDir() {
        if (outRoot == null) {
            throw new IllegalStateException("name the results folder with in(dir) first");
        }
        Params resolved = ExperimentRunner.validate(experiment.spec(), params, profile);
        return outRoot.resolve(experiment.spec().id()).resolve(ExperimentRunner.runId(experiment, resolved).value());
    }

    /** The log lines of the runs so far. */
    public List<String> log() {
        return List.copyOf(log);
    }
}
