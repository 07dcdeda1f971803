package dlx.launcher.cli;

import dlx.api.Device;
import dlx.api.ExperimentResult;
import dlx.api.ParamException;
import dlx.api.Params;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.EnvDataLocations;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.ProgressBars;
import dlx.kit.runtime.RunSettings;
import dlx.launcher.Catalog;
import dlx.launcher.UsageException;
import dlx.launcher.metrics.MetricsEndpoint;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs experiments by id, glob ('theory.*') or 'all'; writes DIR/<id>/result.json, CSVs and PNG plots.",
                "A --param applies to every selected experiment that declares it; one that none declares is an error."})
class RunCommand implements Callable<Integer> {
    @Mixin
    PluginOptions plugins;

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

    @Option(names = "--linger", paramLabel = "SECONDS", description = "keep the metrics endpoint up this long after the runs end", defaultValue = "0")
    int linger;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Profile defaultProfile = parse(() -> Profile.parse(profile));
        Device chosenDevice = parse(() -> Device.parse(device != null ? device
                : System.getenv().getOrDefault("DLX_DEVICE", "auto")));
        if (linger < 0) {
            throw new UsageException("--linger must be >= 0 seconds, got " + linger);
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        Catalog catalog = plugins.catalog(registry, chosenDevice, err);
        Set<Catalog.Entry> selected = new LinkedHashSet<>();
        List<String> chosen = selectors.isEmpty() && benchmarks() ? List.of("all") : selectors;
        if (chosen.isEmpty()) {
            throw new UsageException("name the experiments to run: an id, a glob such as 'theory.*', or 'all'");
        }
        for (String selector : chosen) {
            selected.addAll(catalog.select(selector, benchmarks()));
        }

        // Validate every run's parameters before anything runs.
        Map<String, String> raw = parseParams(params);
        Set<String> used = new LinkedHashSet<>();
        Map<Catalog.Entry, Params> plan = new LinkedHashMap<>();
        for (Catalog.Entry e : selected) {
            Map<String, String> mine = new LinkedHashMap<>();
            raw.forEach((k, v) -> {
                if (selected.size() == 1 || e.experiment().spec().param(k).isPresent()) {
                    mine.put(k, v);
                    used.add(k);
                }
            });
            try {
                plan.put(e, ExperimentRunner.validate(e.experiment().spec(), mine, defaultProfile));
            } catch (ParamException ex) {
                throw new UsageException(ex.getMessage());
            }
        }
        for (String k : raw.keySet()) {
            if (!used.contains(k)) {
                throw new UsageException("parameter '" + k + "' is not declared by any selected experiment; 'dlx describe <id>' lists parameters");
            }
        }

        MetricsEndpoint endpoint = null;
        if (metricsPort != null) {
            endpoint = new MetricsEndpoint(registry, metricsPort);
            err.println("dlx: metrics at " + endpoint.url());
            err.flush();
        }
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

        RunSettings settings = new RunSettings(this.out, registry,
                EnvDataLocations.fromEnvironment(), chosenDevice, ProgressBars.forConsole(registry),
                line -> { out.println(line); out.flush(); }, cancel);
        ExperimentRunner runner = new ExperimentRunner(settings);
        List<ExperimentResult> results = new ArrayList<>();
        try {
            for (Map.Entry<Catalog.Entry, Params> run : plan.entrySet()) {
                if (cancel.get()) {
                    break;
                }
                ExperimentResult r;
                try {
                    r = runner.run(run.getKey().experiment(), run.getKey().plugin().name(), run.getValue());
                } catch (ExperimentRunner.ResultStoreException e) {
                    err.println("dlx: " + e.getMessage());
                    r = e.result();
                }
                results.add(r);
            }
            summary(out, results);
        } finally {
            finished.countDown();
        }
        if (endpoint != null) {
            if (linger > 0) {
                err.println("dlx: metrics stay up " + linger + " s at " + endpoint.url());
                err.flush();
                Thread.sleep(linger * 1000L);
            }
            endpoint.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        boolean anyFailed = results.stream().anyMatch(r -> r.status() == Status.FAILED);
        return anyFailed || cancel.get() ? 1 : 0;
    }

    /** True for {@code dlx bench}: selects benchmarks instead of studies. */
    boolean benchmarks() {
        return false;
    }

    private void summary(PrintWriter out, List<ExperimentResult> results) {
        out.println();
        out.printf("%-32s %-8s %9s  %s%n", "EXPERIMENT", "STATUS", "SECONDS", "RESULT");
        for (ExperimentResult r : results) {
            Double secs = r.metrics().get("durationSeconds");
            out.printf("%-32s %-8s %9.1f  %s%n", r.experiment(), r.status().id(), secs == null ? 0.0 : secs,
                    this.out.resolve(r.experiment()).resolve("result.json"));
            if (r.error() != null) {
                out.println("    " + r.error());
            }
        }
        out.flush();
    }

    static Map<String, String> parseParams(List<String> params) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--param '" + p + "' must be KEY=VALUE");
            }
            String key = p.substring(0, eq).trim();
            if (raw.put(key, p.substring(eq + 1)) != null) {
                throw new UsageException("parameter '" + key + "' is given twice");
            }
        }
        return raw;
    }

    private static <T> T parse(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
