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
import dlx.engine.output.ResultStore;
import dlx.engine.record.PlatformRunRequest;
import dlx.engine.record.RecordingReporter;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one experiment the way the platform does: validated parameters, a request and a recording
 * reporter, the plugin's class loader as context loader, every throwable turned into a
 * {@code failed} result, the result written to {@code DIR/<id>/} with its CSVs, plots and tables,
 * and the run meters updated.
 */
public final class ExperimentRunner {
    private final RunSettings settings;
    private final ResultStore store;

    public ExperimentRunner(RunSettings settings) {
        this.settings = settings;
        this.store = new ResultStore(settings.outRoot());
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
        ExperimentSpec spec = experiment.spec();
        Tags tags = Tags.of("experiment", spec.id());
        Path outDir = store.directoryFor(spec.id());
        AtomicInteger active = new AtomicInteger(1);
        Gauge activeGauge = Gauge.builder("dlx.run.active", active, AtomicInteger::get).tags(tags)
                .description("1 while the experiment runs").register(settings.registry());
        RecordingReporter reporter = new RecordingReporter(spec.id(), new RunMeters(settings.registry(), tags),
                settings.progressBars(), settings.log());
        PlatformRunRequest request = new PlatformRunRequest(spec, params, outDir, settings.device(), settings.data(),
                () -> settings.cancel().get());
        Status status;
        String error = null;
        Throwable failure = null;
        long start = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(experiment.getClass().getClassLoader());
        try {
            Files.createDirectories(outDir);
            reporter.log("running (" + params.profile().id() + " profile, seed " + params.seed() + ")");
            experiment.run(request, reporter);
            if (reporter.failedChecks().isEmpty()) {
                status = Status.OK;
            } else {
                status = Status.FAILED;
                error = "verification failed: " + String.join("; ", reporter.failedChecks());
            }
        } catch (ExperimentSkipped skipped) {
            status = Status.SKIPPED;
            error = skipped.getMessage();
        } catch (Throwable t) {
            status = Status.FAILED;
            failure = t;
            error = describe(t);
        } finally {
            thread.setContextClassLoader(previous);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        reporter.metric("durationSeconds", seconds);
        active.set(0);
        settings.registry().remove(activeGauge);

        List<String> artifacts = new ArrayList<>(reporter.artifacts());
        Map<String, List<double[]>> series = reporter.seriesPoints();
        writeOutputs(reporter, series, outDir, failure, artifacts);
        ExperimentResult result = new ExperimentResult(spec.id(), plugin, status, error, params.asMap(),
                reporter.metrics(), reporter.answers(), series, artifacts.stream().distinct().toList(), reporter.usedDevice());
        try {
            store.write(result);
        } catch (IOException e) {
            // The run's outcome is still returned; the caller reports the unwritable folder.
            throw new ResultStoreException("could not write " + store.resultFile(spec.id()) + ": " + e.getMessage(), result, e);
        } finally {
            Counter.builder("dlx.runs").tags(tags.and("status", status.id()))
                    .description("finished runs by experiment and status").register(settings.registry()).increment();
            Timer.builder("dlx.run.duration").tags(tags).description("wall time of a run")
                    .register(settings.registry()).record(Duration.ofNanos((long) (seconds * 1e9)));
        }
        reporter.log(status.id() + (error == null ? "" : ": " + error) + String.format(" (%.1f s)", seconds));
        return result;
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
