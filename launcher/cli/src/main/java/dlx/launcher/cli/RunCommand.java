package dlx.launcher.cli;

import dlx.api.Device;
import dlx.api.Profile;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.UsageException;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.catalog.Catalogs;
import dlx.launcher.metrics.MetricsEndpoint;
import dlx.launcher.run.Orchestrator;
import dlx.launcher.run.RunPlan;
import dlx.launcher.worker.MeterRelay;
import dlx.launcher.worker.TimeLimits;
import dlx.launcher.worker.WorkerProcesses;
import dlx.launcher.push.RunPusher;
import dlx.launcher.sweep.SweepRequest;
import dlx.launcher.sweep.SweepRunOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs experiments by id, glob ('theory.*') or 'all'; writes DIR/<id>/<run id>/result.json, CSVs, PNG plots",
                "and the run's log. The run id digests the experiment, its parameters and its code: a configuration that",
                "already finished ok is not run again (status cached) unless --rerun is given.",
                "A --param applies to every selected experiment that declares it; one that none declares is an error.",
                "A --param with several values is a grid and every combination runs (--param lr=0.1,0.01 --param batchSize=5,50;"
                        + " quote a value holding a comma: caption='\"a, b\",c'; a list parameter's alternatives are separated"
                        + " by ';': dims='8,16;32,64'). --sweep FILE runs a sweep file or a frozen plan (docs/sweeps.md)."})
class RunCommand implements Callable<Integer> {
    @Mixin
    PluginsOption plugins;

    @Parameters(arity = "0..*", paramLabel = "ID|GLOB|all", description = "experiments to run")
    List<String> selectors = new ArrayList<>();

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "experiment parameter (repeatable)")
    List<String> params = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "quick|full", description = "default profile of the runs (default: ${DEFAULT-VALUE})", defaultValue = "full")
    String profile;

    @Option(names = "--out", paramLabel = "DIR", description = "results folder (default: ${DEFAULT-VALUE})", defaultValue = "results")
    Path out;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", description = "compute device (default: $DLX_DEVICE, else auto)")
    String device;

    @Option(names = "--metrics-port", paramLabel = "N", description = "serve Prometheus metrics at http://127.0.0.1:N/metrics (0: any free port)")
    Integer metricsPort;

    @Option(names = "--metrics-address", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address the metrics endpoint binds (default: ${DEFAULT-VALUE}); another exposes it beyond this machine")
    String metricsAddress;

    @Option(names = "--web-config", paramLabel = "FILE",
            description = "TLS and basic authentication for the endpoint, as Prometheus exporters' --web.config.file")
    Path webConfig;

    @Option(names = "--rerun", description = "run configurations that already finished ok again (the earlier attempt is kept in attempts/)")
    boolean rerun;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = {"time limit of each run (90s, 30m, 2h, 1h30m, none); past it the run's worker JVM is stopped and the run",
                    "recorded failed. Default: what the experiment declares, else by profile: quick 30m, full none"})
    String timeout;

    @Option(names = "--linger", paramLabel = "SECONDS", description = "keep the metrics endpoint up this long after the runs end", defaultValue = "0")
    int linger;

    /** Issue 14: --sweep, --index, --jobs, --pushgateway (dlx.launcher.sweep). */
    @Mixin
    SweepRunOptions sweepOptions;

    @Spec
    CommandSpec spec;

    @Inject
    Catalogs catalogs;

    // Providers: picocli creates every command up front; the registry and its JVM meters only when running.
    @Inject
    Provider<Orchestrator> orchestrator;

    @Inject
    Provider<PrometheusMeterRegistry> registry;

    @Inject
    PlatformConfig config;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Profile defaultProfile = usage(() -> Profile.parse(profile));
        // every typed configuration key too, before anything runs
        Device chosenDevice = usage(() -> {
            config.check();
            return device != null ? Device.parse(device) : config.device();
        });
        checkOptions();
        java.util.Optional<java.time.Duration> timeLimit = TimeLimits.option(timeout);
        sweepOptions.check();
        sweepOptions.childTimeout = timeout;
        Catalog catalog = catalogs.open(plugins.folder, err);
        SweepRequest.Resolved sweep = sweepOptions.active() ? sweepRequest(defaultProfile).resolve(catalog) : null;
        RunPlan plan = sweep != null ? null : RunPlan.of(catalog, selectors, params, defaultProfile, benchmarks());
        try (MetricsEndpoint endpoint = metricsPort == null ? null : startEndpoint(err);
             RunPusher pusher = sweepOptions.pusher(registry::get, err)) {
            if (endpoint != null) {
                err.println("dlx: metrics at " + endpoint.url());
                err.flush();
            }
            Orchestrator.Listener listener = pusher != null ? pusher : Orchestrator.Listener.NONE;
            Orchestrator runs = orchestrator.get();
            if (supervised()) {
                runs.supervised(catalogs.folder(plugins.folder), new MeterRelay(registry.get()), timeLimit);
            }
            int exit = sweep != null
                    ? sweepOptions.run(sweep, runs, chosenDevice, rerun, stdout, err, listener,
                            config.get(PlatformConfig.HOME.name()), catalogs.folder(plugins.folder), device)
                    : runs.run(plan, out, chosenDevice, rerun, stdout, err, listener).exitCode();
            if (endpoint != null && linger > 0) {
                err.println("dlx: metrics stay up " + linger + " s at " + endpoint.url());
                err.flush();
                Thread.sleep(linger * 1000L);
            }
            return exit;
        }
    }

    /** The sweep this command names (issue 14): --sweep FILE, or the ids and --param grids. */
    private SweepRequest sweepRequest(Profile defaultProfile) {
        var parsed = spec.commandLine().getParseResult();
        return new SweepRequest(sweepOptions.sweep, selectors, params, null, defaultProfile, parsed.hasMatchedOption("--profile"),
                out, parsed.hasMatchedOption("--out"));
    }

    private MetricsEndpoint startEndpoint(PrintWriter err) throws java.io.IOException {
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(metricsAddress);
        } catch (java.net.UnknownHostException e) {
            throw new UsageException("--metrics-address '" + metricsAddress + "' is not an address of this machine");
        }
        if (!address.isLoopbackAddress()) {
            err.println("dlx: warning: the metrics endpoint listens on " + address.getHostAddress()
                    + ", reachable beyond this machine" + (webConfig == null ? "; consider --web-config for TLS and a password" : ""));
        }
        return MetricsEndpoint.start(registry.get(), address, metricsPort,
                webConfig == null ? null : dlx.launcher.metrics.WebConfig.load(webConfig));
    }

    /** Options that are wrong whatever runs: refused before anything starts. */
    private void checkOptions() {
        if (linger < 0) {
            throw new UsageException("--linger must be >= 0 seconds, got " + linger);
        }
        if (linger > 0 && metricsPort == null) {
            throw new UsageException("--linger keeps the metrics endpoint up: it needs --metrics-port");
        }
        if (webConfig != null && metricsPort == null) {
            throw new UsageException("--web-config configures the metrics endpoint: it needs --metrics-port");
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new UsageException("--metrics-port must be a TCP port in [0, 65535] (0: any free port), got " + metricsPort);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a file, not a folder");
        }
    }

    /** Runs go to a supervised worker JVM ({@link WorkerProcesses#enabled}); {@code dlx bench} measures in this process. */
    private boolean supervised() {
        return !benchmarks() && WorkerProcesses.enabled(config);
    }

    /** True for {@code dlx bench}: selects benchmarks instead of studies. */
    boolean benchmarks() {
        return false;
    }

    private static <T> T usage(Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
