package dlx.launcher.push;

import dlx.engine.ExperimentResult;
import dlx.engine.ExperimentRunner;
import dlx.launcher.UsageException;
import dlx.launcher.run.Orchestrator;
import dlx.launcher.run.RunPlan;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pushes each run's meters to a Prometheus Pushgateway while it runs (every {@code interval})
 * and once more when it ends, with the Prometheus Java client's exporter: grouping key
 * {@code job="dlx"}, {@code instance=<run id>}, one group per run, replaced (PUT) by each push
 * of that run. Nothing is ever deleted, so the last values stay on the gateway for Prometheus
 * (and the user) after the task has gone — the Pushgateway's use for batch jobs. A gateway that
 * cannot be reached costs a warning per run; the run goes on and writes its result.
 */
public final class RunPusher implements Orchestrator.Listener, AutoCloseable {
    public static final String JOB = "dlx";

    private final PrometheusRegistry source;
    private final URI url;
    private final Duration interval;
    private final PrintWriter err;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dlx-pushgateway");
        t.setDaemon(true);
        return t;
    });
    private volatile String runId;
    private volatile PushGateway gateway;
    private volatile boolean warned;
    private ScheduledFuture<?> periodic;

    public RunPusher(PrometheusMeterRegistry registry, URI url, Duration interval, PrintWriter err) {
        this.source = registry.getPrometheusRegistry();
        this.url = url;
        this.interval = interval;
        this.err = err;
    }

    /**
     * Checks a {@code --pushgateway} value: {@code http[s]://host:port} with no path.
     * @throws UsageException naming what is wrong
     */
    public static URI parse(String text) {
        URI uri;
        try {
            uri = URI.create(text.contains("://") ? text : "http://" + text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--pushgateway '" + text + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
            throw new UsageException("--pushgateway '" + text + "': expected http://host:port (or https), without a path");
        }
        return uri;
    }

    @Override
    public synchronized void started(RunPlan.PlannedRun run) {
        stopPeriodic();
        String id = ExperimentRunner.runId(run.entry().experiment(), run.params()).value();
        runId = id;
        warned = false;
        // one registry per run: a push of this run collects this run's series, whenever it happens
        PrometheusRegistry filtered = new PrometheusRegistry();
        filtered.register(new RunMetricsFilter(source, id));
        gateway = PushGateway.builder()
                .scheme("https".equals(url.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
                .address(url.getHost() + ":" + (url.getPort() > 0 ? url.getPort() : 9091))
                .job(JOB)
                .groupingKey("instance", id)
                .format(Format.PROMETHEUS_TEXT)
                .connectionTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5))
                .registry(filtered)
                .build();
        PushGateway now = gateway;
        periodic = timer.scheduleWithFixedDelay(() -> push(now), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void finished(ExperimentResult result) {
        stopPeriodic();
        PushGateway last = gateway;
        if (last != null) {
            // The final values, after the run has recorded everything (also when it failed).
            try {
                timer.submit(() -> push(last)).get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                warn(e);
            }
        }
    }

    private void push(PushGateway g) {
        try {
            g.push();
        } catch (IOException | RuntimeException e) {
            warn(e);
        }
    }

    private void warn(Exception e) {
        if (!warned) {
            warned = true;
            err.println("dlx: warning: cannot push metrics of run " + runId + " to the Pushgateway at " + url + ": "
                    + ExperimentRunner.describe(e) + "; the run goes on");
            err.flush();
        }
    }

    private void stopPeriodic() {
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
    }

    @Override
    public void close() {
        timer.shutdown();
    }
}
