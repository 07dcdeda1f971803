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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a plan one run after the other with the run engine (each run in its own folder, a finished
 * configuration not run again unless {@code rerun}): a failed run does not stop the others; Ctrl-C (SIGINT/SIGTERM) cancels the current run, which still writes its result, and no
 * further run starts. Prints one line per event and the summary.
 */
public final class Orchestrator {
    private final MeterRegistry registry;
    private final DataLocations data;

    @Inject
    Orchestrator(MeterRegistry registry, DataLocations data) {
        this.registry = registry;
        this.data = data;
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
        Thread hook = new Thread(() -> {
            cancel.set(true);
            try {
                finished.await(15, TimeUnit.SECONDS); // let the current run write its result
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "dlx-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        RunSettings settings = new RunSettings(outRoot, registry, data, device, ProgressBars.forConsole(registry),
                line -> {
                    out.println(line);
                    out.flush();
                }, cancel, rerun);
        ExperimentRunner runner = new ExperimentRunner(settings);
        List<ExperimentResult> results = new ArrayList<>();
        try {
            for (RunPlan.PlannedRun run : plan.runs()) {
                if (cancel.get()) {
                    break;
                }
                listener.started(run);
                try {
                    results.add(runner.run(run.entry().experiment(), run.entry().plugin().name(),
                            run.entry().plugin().plugin().version(), run.params()));
                } catch (ExperimentRunner.ResultStoreException e) {
                    err.println("dlx: " + e.getMessage());
                    err.flush();
                    results.add(e.result());
                }
                listener.finished(results.get(results.size() - 1));
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
                out.println("    " + r.error());
            }
        }
        out.flush();
    }
}
