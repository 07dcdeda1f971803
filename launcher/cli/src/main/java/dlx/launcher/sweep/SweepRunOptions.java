package dlx.launcher.sweep;

import dlx.api.Device;
import dlx.launcher.UsageException;
import dlx.launcher.push.RunPusher;
import dlx.launcher.run.Orchestrator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The sweep options of {@code dlx run} (a picocli mixin): {@code --sweep FILE} runs a sweep file
 * or a frozen plan, {@code --index N} one run of it (what a cluster task runs), {@code --jobs N}
 * the runs in N child processes, {@code --pushgateway URL} pushes each run's meters. A
 * {@code --param} grid without these runs in this process like any batch of runs.
 */
public final class SweepRunOptions {
    @Option(names = "--sweep", paramLabel = "FILE",
            description = "a sweep file (YAML: grid, seeds, random search; docs/sweeps.md) or a frozen plan.json (or its folder) to run")
    public Path sweep;

    @Option(names = "--index", paramLabel = "N", description = "run only index N of the sweep (what each cluster task runs)")
    public Integer index;

    @Option(names = "--jobs", paramLabel = "N", description = "run the sweep's runs in N child processes (logs in the sweep's folder)")
    public Integer jobs;

    @Option(names = "--pushgateway", paramLabel = "URL",
            description = "push each run's meters to this Prometheus Pushgateway while it runs and when it ends (job=dlx, instance=<run id>)")
    public String pushgateway;

    @Option(names = "--push-interval", paramLabel = "SECONDS", defaultValue = "15",
            description = "seconds between pushes while a run goes (default: ${DEFAULT-VALUE})")
    public int pushInterval;

    /** Whether this is a sweep run (planned and frozen in a sweep folder) rather than a plain batch. */
    public boolean active() {
        return sweep != null || index != null || jobs != null;
    }

    /** Checks the options alone, before anything is read or started. */
    public void check() {
        if (index != null && sweep == null) {
            throw new UsageException("--index N picks a run of a sweep: it needs --sweep FILE (a sweep file or plan.json)");
        }
        if (index != null && jobs != null) {
            throw new UsageException("--index runs one run; --jobs does not go with it");
        }
        if (jobs != null && jobs < 1) {
            throw new UsageException("--jobs must be >= 1, got " + jobs);
        }
        if (pushInterval < 1) {
            throw new UsageException("--push-interval must be >= 1 second, got " + pushInterval);
        }
        if (pushgateway != null) {
            RunPusher.parse(pushgateway);
        }
    }

    /** The pusher for {@code --pushgateway}, or null. */
    public RunPusher pusher(Supplier<PrometheusMeterRegistry> registry, PrintWriter err) {
        return pushgateway == null ? null : new RunPusher(registry.get(), RunPusher.parse(pushgateway),
                Duration.ofSeconds(pushInterval), err);
    }

    /**
     * Runs the sweep: index {@code --index}, else every index, in this process or in
     * {@code --jobs} children.
     * @param dlxHome     the distribution ({@code bin/dlx} starts the children)
     * @param plugins     the plugins folder the children must load (the plan's run ids depend on it)
     * @param deviceGiven the {@code --device} value as typed, passed on to children (null: none)
     */
    /** {@code --timeout} of the command as typed (null: not given), passed on to {@code --jobs} children. */
    public String childTimeout;

    public int run(SweepRequest.Resolved r, Orchestrator orchestrator, Device device, boolean rerun,
                   PrintWriter out, PrintWriter err, Orchestrator.Listener listener, Optional<String> dlxHome, Path plugins,
                   String deviceGiven) throws Exception {
        List<Integer> indices = index != null ? List.of(r.plan().entry(index).index()) : r.allIndices();
        if (!r.wasFrozen()) {
            err.println("dlx: sweep " + r.plan().id() + " (" + r.plan().size() + " runs" + (r.duplicatesDropped() > 0
                    ? ", " + r.duplicatesDropped() + " repeated configurations planned once" : "") + "): " + r.plan().planFile());
            err.flush();
        }
        if (jobs == null) {
            return LocalSweep.inProcess(r, indices, orchestrator, device, rerun, out, err, listener);
        }
        Path dlx = dlxHome.map(h -> Path.of(h, "bin", "dlx")).filter(Files::isExecutable).orElseThrow(() -> new UsageException(
                "--jobs starts dlx in child processes: run it from the distribution's bin/dlx, which sets dlx.home"));
        List<String> childArgs = new ArrayList<>(List.of("--plugins", plugins.toAbsolutePath().toString()));
        if (deviceGiven != null) {
            childArgs.addAll(List.of("--device", deviceGiven));
        }
        if (rerun) {
            childArgs.add("--rerun");
        }
        if (childTimeout != null) {
            childArgs.addAll(List.of("--timeout", childTimeout));
        }
        if (pushgateway != null) {
            childArgs.addAll(List.of("--pushgateway", pushgateway, "--push-interval", Integer.toString(pushInterval)));
        }
        return LocalSweep.children(r, indices, jobs, dlx, childArgs, rerun, out, err);
    }
}
