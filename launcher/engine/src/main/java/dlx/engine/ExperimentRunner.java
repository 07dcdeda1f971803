package dlx.engine;

import dlx.api.Experiment;
import dlx.api.ExperimentSkipped;
import dlx.api.ExperimentSpec;
import dlx.api.Params;
import dlx.api.PlotSpec;
import dlx.api.Profile;
import dlx.api.TableSpec;
import dlx.engine.meters.RunMeters;
import dlx.engine.output.CsvFiles;
import dlx.engine.output.PlotRenderer;
import dlx.engine.record.PlatformRunRequest;
import dlx.engine.record.RecordingReporter;
import dlx.engine.record.RunSeeders;
import dlx.engine.store.CodeDigests;
import dlx.engine.store.Environment;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunFolder;
import dlx.engine.store.RunId;
import dlx.engine.store.RunLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one experiment the way the platform does. The run gets its id from what defines it
 * ({@link RunId}) and its own folder {@code <results>/<experiment>/<run id>/}; a run that already
 * finished ok is not run again ({@code cached}) unless asked, an earlier attempt is kept under
 * {@code attempts/}, a run held by another live process is left alone ({@code locked}). Then:
 * validated parameters, a request and a recording reporter, the plugin's class loader as context
 * loader, every throwable turned into a {@code failed} result, the result written with its CSVs,
 * plots, tables, log and environment, {@code latest} pointed at it, and the run meters updated.
 */
public final class ExperimentRunner {
    /** The device of a run that used no engine (theory, the scratch MLP). */
    public static final String PLAIN_JAVA = "cpu (plain Java)";
    private final RunSettings settings;

    public ExperimentRunner(RunSettings settings) {
        this.settings = settings;
    }

    /** Validates raw parameters (throws {@link dlx.api.ParamException}) without running anything. */
    public static Params validate(ExperimentSpec spec, Map<String, String> rawParams, Profile defaultProfile) {
        return Params.resolve(spec, rawParams, defaultProfile);
    }

    /** Runs with raw parameters; bad parameters throw before anything runs. */
    public ExperimentResult run(Experiment experiment, String plugin, Map<String, String> rawParams, Profile defaultProfile) {
        return run(experiment, plugin, validate(experiment.spec(), rawParams, defaultProfile));
    }

    public ExperimentResult run(Experiment experiment, String plugin, Params params) {
        String version = experiment.getClass().getPackage().getImplementationVersion();
        return run(experiment, plugin, version == null ? "dev" : version, params);
    }

    /** The id a run of {@code experiment} with {@code params} gets: the same before and after it ran. */
    public static RunId runId(Experiment experiment, Params params) {
        Class<?> type = experiment.getClass();
        String pluginDigest = CodeDigests.location(type).map(CodeDigests::sha256).orElse("unknown");
        String kitDigest = CodeDigests.kitLocation(type.getClassLoader()).map(CodeDigests::sha256).orElse("none");
        return RunId.of(experiment.spec().id(), params, pluginDigest, kitDigest);
    }

    /** The folder of a run in these settings' results folder. */
    public RunFolder folder(Experiment experiment, Params params) {
        return new RunFolder(settings.outRoot(), experiment.spec().id(), runId(experiment, params).value());
    }

    public ExperimentResult run(Experiment experiment, String plugin, String pluginVersion, Params params) {
        ExperimentSpec spec = experiment.spec();
        RunFolder folder = folder(experiment, params);
        RunFolder.Lock lock;
        try {
            lock = folder.lock();
        } catch (RunFolder.LockedException e) {
            settings.log().accept("[" + spec.id() + "] run " + folder.runId() + " is " + e.getMessage() + "; left alone");
            return new ExperimentResult(spec.id(), plugin, Status.LOCKED, e.getMessage(), params.asMap(), Map.of(), Map.of(),
                    Map.of(), List.of(), null, folder.runId(), Map.of());
        }
        try (lock) {
            folder.cleanLeftovers();
            if (folder.finishedOk() && !settings.rerun()) {
                ExperimentResult earlier = ResultStore.fromJson(folder.previousResult().orElseThrow());
                settings.log().accept("[" + spec.id() + "] run " + folder.runId() + " already finished ok: "
                        + folder.resultFile() + " (--rerun runs it again)");
                folder.markLatest();
                return earlier.withStatus(Status.CACHED);
            }
            // A re-run starts fresh; after a failure or an interruption checkpoints stay, so the run resumes.
            boolean wasOk = folder.finishedOk();
            EarlierAttempts earlier = wasOk ? EarlierAttempts.NONE : EarlierAttempts.of(folder);
            folder.archivePreviousAttempt(!wasOk).ifPresent(kept ->
                    settings.log().accept("[" + spec.id() + "] the earlier attempt is kept in " + kept));
            return execute(experiment, plugin, pluginVersion, params, folder, earlier);
        }
    }

    private ExperimentResult execute(Experiment experiment, String plugin, String pluginVersion, Params params,
                                     RunFolder folder, EarlierAttempts earlier) {
        ExperimentSpec spec = experiment.spec();
        Tags tags = Tags.of("experiment", spec.id());
        Tags runTags = tags.and("run_id", folder.runId());
        Path outDir = folder.dir();
        Map<String, Object> environment = new LinkedHashMap<>(Environment.capture(experiment.getClass(), pluginVersion,
                System.getenv()));
        environment.put("deviceRequested", settings.device().id());
        RunSeeders seeders = RunSeeders.visibleTo(experiment.getClass());
        AtomicInteger active = new AtomicInteger(1);
        Gauge activeGauge = Gauge.builder("dlx.run.active", active, AtomicInteger::get).tags(runTags)
                .description("1 while the experiment runs").register(settings.registry());
        Status status;
        String error = null;
        Throwable failure = null;
        long start = System.nanoTime();
        RecordingReporter reporter;
        try (RunLog runLog = RunLog.open(outDir)) {
            reporter = new RecordingReporter(spec.id(), new RunMeters(settings.registry(), runTags),
                    settings.progressBars(), line -> {
                        runLog.line(line);
                        settings.log().accept(line);
                    });
            PlatformRunRequest request = new PlatformRunRequest(spec, params, outDir, settings.device(), settings.data(),
                    () -> settings.cancel().get());
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(experiment.getClass().getClassLoader());
            try {
                reporter.log("run " + folder.runId() + " (" + params.profile().id() + " profile, seed " + params.seed()
                        + ") in " + outDir);
                // The platform seeds every library's generators, so that no plugin can forget.
                seeders.seed(params.seed(), reporter::log);
                experiment.run(request, reporter);
                List<String> nonFinite = reporter.metrics().entrySet().stream()
                        .filter(e -> !Double.isFinite(e.getValue())).map(e -> e.getKey() + " = " + e.getValue()).toList();
                if (!reporter.failedChecks().isEmpty()) {
                    status = Status.FAILED;
                    error = "verification failed: " + String.join("; ", reporter.failedChecks());
                } else if (!nonFinite.isEmpty()) {
                    // A metric is a headline number: NaN or infinity means the run did not produce a usable result.
                    status = Status.FAILED;
                    error = "non-finite metric: " + String.join("; ", nonFinite);
                } else {
                    status = Status.OK;
                }
            } catch (ExperimentSkipped skipped) {
                status = Status.SKIPPED;
                error = skipped.getMessage();
            } catch (java.util.concurrent.CancellationException cancelled) {
                status = settings.cancel().get() ? Status.CANCELLED : Status.FAILED;
                error = status == Status.CANCELLED ? "cancelled (Ctrl-C or SIGTERM); the same command resumes it"
                        : describe(cancelled);
            } catch (Throwable t) {
                status = Status.FAILED;
                failure = t;
                error = describe(t);
            } finally {
                thread.setContextClassLoader(previous);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // A resumed run's duration covers its earlier attempts; this attempt's own time is kept beside it.
            reporter.metric("durationSeconds", seconds + earlier.seconds());
            if (earlier.count() > 0) {
                reporter.metric("attemptDurationSeconds", seconds);
                reporter.metric("attempts", earlier.count() + 1);
            }
            reporter.log(status.id() + (error == null ? "" : ": " + error) + String.format(" (%.1f s)", seconds));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        active.set(0);
        settings.registry().remove(activeGauge);
        environment.put("endedUtc", Instant.now().toString());
        environment.put("determinism", seeders.determinism(params.seed()));

        List<String> artifacts = new ArrayList<>(reporter.artifacts());
        Map<String, List<double[]>> series = reporter.seriesPoints();
        writeOutputs(reporter, series, outDir, failure, artifacts);
        artifacts.add(RunLog.FILE);
        ExperimentResult result = new ExperimentResult(spec.id(), plugin, status, error, params.asMap(),
                reporter.metrics(), reporter.answers(), series, artifacts.stream().distinct().toList(),
                reporter.usedDevice() != null ? reporter.usedDevice() : PLAIN_JAVA, folder.runId(), environment,
                reporter.dataSources());
        try {
            ResultStore.write(result, folder.resultFile());
            folder.markLatest();
        } catch (IOException | RuntimeException e) {
            // The run's outcome is still returned; the caller reports the unwritable folder.
            throw new ResultStoreException("could not write " + folder.resultFile() + ": " + e.getMessage(), result, e);
        } finally {
            Counter.builder("dlx.runs").tags(tags.and("status", status.id()))
                    .description("finished runs by experiment and status").register(settings.registry()).increment();
            Timer.builder("dlx.run.duration").tags(tags).description("wall time of a run")
                    .register(settings.registry()).record(Duration.ofNanos((long) (seconds * 1e9)));
        }
        return result;
    }

    /**
     * The earlier attempts of this run that the current one resumes (an attempt that did not finish
     * ok and left checkpoints): how many, and their wall time as their results recorded it.
     */
    record EarlierAttempts(int count, double seconds) {
        static final EarlierAttempts NONE = new EarlierAttempts(0, 0);

        static EarlierAttempts of(RunFolder folder) {
            if (!Files.isDirectory(folder.dir().resolve(RunFolder.CHECKPOINTS))) {
                return NONE;
            }
            return folder.previousResult().map(r -> {
                com.fasterxml.jackson.databind.JsonNode m = r.path("metrics");
                int attempts = m.path("attempts").isNumber() ? m.path("attempts").asInt() : 1;
                double seconds = m.path("durationSeconds").isNumber() ? m.path("durationSeconds").asDouble() : 0;
                return new EarlierAttempts(attempts, seconds);
            }).orElse(NONE);
        }
    }

    /** CSVs of the series and tables, the declared plots, error.log; each problem is logged, none fails the run. */
    private static void writeOutputs(RecordingReporter reporter, Map<String, List<double[]>> series, Path outDir,
                                     Throwable failure, List<String> artifacts) {
        try {
            Files.createDirectories(outDir);
            artifacts.addAll(CsvFiles.writeSeries(outDir, series));
            if (failure != null) {
                Files.writeString(outDir.resolve("error.log"), stackTrace(failure));
                artifacts.add("error.log");
            }
        } catch (IOException | RuntimeException e) {
            reporter.log("could not write the series: " + describe(e));
        }
        for (TableSpec table : reporter.tables()) {
            try {
                artifacts.add(CsvFiles.writeTable(outDir, table));
            } catch (IOException | RuntimeException e) {
                reporter.log("could not write table " + table.fileName() + ": " + describe(e));
            }
        }
        for (PlotSpec plot : reporter.plots()) {
            try {
                if (PlotRenderer.render(plot, series, outDir)) {
                    artifacts.add(plot.fileName());
                }
            } catch (IOException | RuntimeException e) {
                reporter.log("could not render plot " + plot.fileName() + ": " + describe(e));
            }
        }
    }

    /** The cause chain in one line: {@code Type: message <- Cause: message}. */
    public static String describe(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (s.length() > 0) {
                s.append(" <- caused by ");
            }
            s.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                s.append(": ").append(c.getMessage());
            }
        }
        return s.toString();
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** The result could not be persisted; the in-memory result is attached. */
    public static final class ResultStoreException extends RuntimeException {
        private final transient ExperimentResult result;

        ResultStoreException(String message, ExperimentResult result, Throwable cause) {
            super(message, cause);
            this.result = result;
        }

        public ExperimentResult result() {
            return result;
        }
    }
}
