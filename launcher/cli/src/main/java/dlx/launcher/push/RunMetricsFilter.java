package dlx.launcher.push;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The process's meters as one run should push them: every series whose {@code run_id} label is
 * that run's, and every series without a {@code run_id} (the JVM, the process, the platform's
 * counters by experiment). Series of other runs of the same process (a local sweep runs several)
 * are left out, so a run's Pushgateway group never shows another run's values.
 */
final class RunMetricsFilter implements MultiCollector {
    static final String RUN_ID = "run_id";

    private final PrometheusRegistry source;
    private final String runId;

    RunMetricsFilter(PrometheusRegistry source, String runId) {
        this.source = source;
        this.runId = runId;
    }

    @Override
    public MetricSnapshots collect() {
        Predicate<DataPointSnapshot> keep = p -> !p.getLabels().contains(RUN_ID) || p.getLabels().get(RUN_ID).equals(runId);
        List<MetricSnapshot> out = new ArrayList<>();
        for (MetricSnapshot m : source.scrape()) {
            MetricSnapshot kept = filter(m, keep);
            if (kept != null && !kept.getDataPoints().isEmpty()) {
                out.add(kept);
            }
        }
        return new MetricSnapshots(out);
    }

    /** The same metric with only the kept data points; null for a kind this version does not know. */
    static MetricSnapshot filter(MetricSnapshot m, Predicate<DataPointSnapshot> keep) {
        if (m instanceof GaugeSnapshot g) {
            return new GaugeSnapshot(g.getMetadata(), g.getDataPoints().stream().filter(keep).toList());
        }
        if (m instanceof CounterSnapshot c) {
            return new CounterSnapshot(c.getMetadata(), c.getDataPoints().stream().filter(keep).toList());
        }
        if (m instanceof HistogramSnapshot h) {
            return new HistogramSnapshot(h.isGaugeHistogram(), h.getMetadata(), h.getDataPoints().stream().filter(keep).toList());
        }
        if (m instanceof SummarySnapshot s) {
            return new SummarySnapshot(s.getMetadata(), s.getDataPoints().stream().filter(keep).toList());
        }
        if (m instanceof InfoSnapshot i) {
            return new InfoSnapshot(i.getMetadata(), i.getDataPoints().stream().filter(keep).toList());
        }
        if (m instanceof StateSetSnapshot s) {
            return new StateSetSnapshot(s.getMetadata(), s.getDataPoints().stream().filter(keep).toList());
        }
        if (m instanceof UnknownSnapshot u) {
            return new UnknownSnapshot(u.getMetadata(), u.getDataPoints().stream().filter(keep).toList());
        }
        return null;
    }
}
