package dlx.launcher.run;

import dlx.api.DataLocations;
import dlx.api.Device;
import dlx.engine.ExperimentResult;
import dlx.engine.ExperimentRunner;
import dlx.engine.RunSettings;
import dlx.engine.Status;
import dlx.engine.meters.ProgressBars;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import dlx.launcher.report.ReportSite;
import dlx.launcher.worker.MeterRelay;
import dlx.launcher.worker.Supervisor;
import dlx.launcher.worker.TimeLimits;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a plan one run after the other with the run engine (each run in its own folder, a finished
 * configuration not run again unless {@code rerun}): a failed run does not stop the others; Ctrl-C (SIGINT/SIGTERM) cancels the current run, which still writes its result, and no
 * further run starts. Prints one line per event and the summary.
 * <p>Where runs go: {@link #supervised} (what {@code dlx run} does from the distribution) runs them
 * in a worker JVM watched by a {@link Supervisor}, which outlives any plugin (exit, halt, crash,
 * time limit); otherwise in this process (tests, embedding, {@code dlx bench}).
 */
public final class Orchestrator {
    private final MeterRegistry registry;
    private final DataLocations data;
    private Path plugins;
    private MeterRelay relay;
    private Optional<Duration> timeout;

    @Inject
    Orchestrator(MeterRegistry registry, DataLocations data) {
        this.registry = registry;
        this.data = data;
    }

    /**
     * Runs in a supervised worker JVM that discovers {@code plugins}; its meters are relayed into
     * {@code relay}. {@code timeout}: {@code --timeout} (empty: none), or null to let each run's
     * spec or profile decide ({@link TimeLimits}).
     */
    public Orchestrator supervised(Path plugins, MeterRelay relay, Optional<Duration> timeout) {
        this.plugins = plugins;
        this.relay = relay;
        this.timeout = timeout;
        return this;
    }

    /** Runs plans one at a time: in a supervised worker or in this process. */
    private interface Executor extends AutoCloseable {
        ExperimentResult run(RunPlan.PlannedRun run);

        /** Called from the shutdown hook: must return at once. */
        void cancel();

        @Override
        void close();
    }

    /** What one invocation ran and whether it was cancelled. */
    public record Outcome(List<ExperimentResult> results, boolean cancelled) {
        /** 0: every run ok, cached, skipped or running elsewhere; 1: a run failed or the batch was cancelled. */
        public int exitCode() {
            return cancelled || results.stream().anyMatch(r -> r.status() == Status.FAILED) ? 1 : 0;
        }
    }

    /** Told when each run of a plan starts and ends (issue 14: the Pushgateway pusher). */
    public interface Listener {
        Listener NONE = new Listener() { };

        default void started(RunPlan.PlannedRun run) { }

        default void finished(ExperimentResult result) { }
    }

    public Outcome run(RunPlan plan, Path outRoot, Device device, boolean rerun, PrintWriter out, PrintWriter err) {
        return run(plan, outRoot, device, rerun, out, err, Listener.NONE);
    }

    /** As {@link #run(RunPlan, Path, Device, boolean, PrintWriter, PrintWriter)}, telling {@code listener} about each run. */
    public Outcome run(RunPlan plan, Path outRoot, Device device, boolean rerun, PrintWriter out, PrintWriter err,
                       Listener listener) {
        AtomicBoolean cancel = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Consumer<String> log = line -> {
            out.println(line);
            out.flush();
        };
        Executor executor = plugins != null ? supervisedExecutor(outRoot, device, rerun, log) : null;
        Thread hook = new Thread(() -> {
            cancel.set(true);
            if (executor != null) {
                executor.cancel();
            }
            try {
                // let the current run write its result (a supervised worker gets a grace period, then is killed)
                finished.await(Supervisor.CANCEL_GRACE.toSeconds() + 20, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "dlx-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        Executor runs = executor != null ? executor : inProcessExecutor(outRoot, device, rerun, log, cancel);
        List<ExperimentResult> results = new ArrayList<>();
        try {
            try (runs) {
                for (RunPlan.PlannedRun run : plan.runs()) {
                    if (cancel.get()) {
                        break;
                    }
                    listener.started(run);
                    try {
                        results.add(runs.run(run));
                    } catch (ExperimentRunner.ResultStoreException e) {
                        err.println("dlx: " + e.getMessage());
                        err.flush();
                        results.add(e.result());
                    }
                    ExperimentResult last = results.get(results.size() - 1);
                    if (last.status() == Status.CANCELLED) {
                        cancel.set(true); // the worker itself was interrupted: the batch stops as after Ctrl-C
                    }
                    listener.finished(last);
                }
            }
            summary(out, results, outRoot);
            if (!cancel.get() && Files.isDirectory(outRoot)) {
                report(outRoot, out, err);
            }
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        return new Outcome(results, cancel.get());
    }

    private Executor inProcessExecutor(Path outRoot, Device device, boolean rerun, Consumer<String> log, AtomicBoolean cancel) {
        RunSettings settings = new RunSettings(outRoot, registry, data, device, ProgressBars.forConsole(registry), log, cancel, rerun);
        ExperimentRunner runner = new ExperimentRunner(settings);
        return new Executor() {
            @Override
            public ExperimentResult run(RunPlan.PlannedRun run) {
                return runner.run(run.entry().experiment(), run.entry().plugin().name(), run.entry().plugin().plugin().version(),
                        run.params());
            }

            @Override
            public void cancel() {
                // the engine watches the cancel flag
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    private Executor supervisedExecutor(Path outRoot, Device device, boolean rerun, Consumer<String> log) {
        Supervisor supervisor = new Supervisor(plugins, relay, log);
        return new Executor() {
            @Override
            public ExperimentResult run(RunPlan.PlannedRun run) {
                return supervisor.run(run, outRoot, device, rerun,
                        TimeLimits.of(timeout, run.entry().experiment().spec(), run.params().profile()));
            }

            @Override
            public void cancel() {
                supervisor.cancel();
            }

            @Override
            public void close() {
                supervisor.close();
            }
        };
    }

    /** The closing line: where the results are as a web page; a report that cannot be written does not fail the runs. */
    private static void report(Path outRoot, PrintWriter out, PrintWriter err) {
        try {
            out.println("report: " + ReportSite.in(outRoot).build().index());
        } catch (RuntimeException e) {
            err.println("dlx: no report: " + e.getMessage());
            err.flush();
        }
        out.flush();
    }

    private static void summary(PrintWriter out, List<ExperimentResult> results, Path outRoot) {
        out.println();
        out.printf("%-32s %-12s %-8s %9s  %s%n", "EXPERIMENT", "RUN", "STATUS", "SECONDS", "RESULT");
        for (ExperimentResult r : results) {
            Double secs = r.metrics().get("durationSeconds");
            out.printf("%-32s %-12s %-8s %9.1f  %s%n", r.experiment(), r.runId(), r.status().id(), secs == null ? 0.0 : secs,
                    outRoot.resolve(r.experiment()).resolve(r.runId()).resolve("result.json"));
            if (r.error() != null) {
                String error = r.error();
                int eol = error.indexOf('\n');
                // the first line says why; the rest (e.g. the log's last lines of a dead worker) is in result.json
                out.println("    " + (eol < 0 ? error : error.substring(0, eol)));
            }
        }
        out.flush();
    }
}
