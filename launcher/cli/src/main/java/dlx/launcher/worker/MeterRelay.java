package dlx.launcher.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's side of the meter relay: mirrors the worker's meters ({@link MeterSnapshots})
 * into the supervisor's registry, which the metrics endpoint serves and which outlives workers.
 * <ul>
 * <li>Counters and timers stay monotonic across worker restarts: what a dead worker counted is
 *     kept as an offset under the next worker's counts.</li>
 * <li>The worker's JVM and process meters ({@code jvm.*}, {@code process.*}, {@code system.*})
 *     become {@code worker.jvm.*} etc.: the supervisor's own JVM meters keep their names and no
 *     family is exposed twice.</li>
 * <li>When a worker dies, its process gauges and {@code dlx.run.active} go; the gauges of its
 *     runs ({@code dlx.*}) keep their last values, as they would had the run ended.</li>
 * </ul>
 */
public final class MeterRelay {
    private static final List<String> PROCESS_PREFIXES = List.of("jvm.", "process.", "system.", "disk.", "executor.");
    private final MeterRegistry registry;
    private final Map<String, Relayed> meters = new HashMap<>();

    private final Distributions distributions;

    public MeterRelay(MeterRegistry registry) {
        this.registry = registry;
        this.distributions = registry instanceof PrometheusMeterRegistry p ? new Distributions(p) : null;
    }

    /**
     * A plugin's distribution summaries (histograms): Micrometer has no meter whose buckets can be
     * set, so they are exposed to Prometheus directly, as the worker's own registry would expose
     * them (a histogram with its buckets, else a summary of count and sum; the same names), with
     * the max as Micrometer's {@code <name>_max} gauge.
     */
    private static final class Distributions implements MultiCollector {
        private final PrometheusMeterRegistry registry;
        private final List<Relayed> relayed = new CopyOnWriteArrayList<>();

        Distributions(PrometheusMeterRegistry registry) {
            this.registry = registry;
            registry.getPrometheusRegistry().register(this);
        }

        /** Starts exposing {@code r}; its max gauge is the meter that stands for it in the registry. */
        Meter add(Relayed r) {
            relayed.add(r);
            String max = r.name + (r.timer ? ".seconds" : r.unit == null ? "" : "." + r.unit) + ".max";
            return Gauge.builder(max, r, x -> x.max).tags(r.tags).description(r.description).strongReference(true)
                    .register(registry);
        }

        @Override
        public MetricSnapshots collect() {
            NamingConvention naming = registry.config().namingConvention();
            Map<String, List<Relayed>> byName = new TreeMap<>();
            for (Relayed r : relayed) {
                Meter.Type type = r.timer ? Meter.Type.TIMER : Meter.Type.DISTRIBUTION_SUMMARY;
                byName.computeIfAbsent(naming.name(r.name, type, r.timer ? null : r.unit), k -> new ArrayList<>()).add(r);
            }
            MetricSnapshots.Builder out = MetricSnapshots.builder();
            byName.forEach((name, family) -> {
                String help = family.get(0).description != null ? family.get(0).description : "relayed from the worker JVM";
                if (family.get(0).bounds.length == 0) {
                    SummarySnapshot.Builder summary = SummarySnapshot.builder().name(name).help(help);
                    family.forEach(r -> summary.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                            .labels(labels(naming, r.tags)).count((long) (r.countBefore + r.count)).sum(r.totalBefore + r.total)
                            .build()));
                    out.metricSnapshot(summary.build());
                } else {
                    HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(name).help(help);
                    family.forEach(r -> histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                            .labels(labels(naming, r.tags)).classicHistogramBuckets(buckets(r))
                            .sum(r.totalBefore + r.total).build()));
                    out.metricSnapshot(histogram.build());
                }
            });
            return out.build();
        }

        /** Prometheus' buckets count the values of each bucket alone; the +Inf bucket takes the rest. */
        private static ClassicHistogramBuckets buckets(Relayed r) {
            double[] bounds = r.bounds;
            double[] cumulative = r.allBuckets();
            int n = Math.min(bounds.length, cumulative.length);
            double[] upper = new double[n + 1];
            long[] counts = new long[n + 1];
            double below = 0;
            for (int i = 0; i < n; i++) {
                upper[i] = bounds[i];
                counts[i] = Math.round(cumulative[i] - below);
                below = cumulative[i];
            }
            upper[n] = Double.POSITIVE_INFINITY;
            counts[n] = Math.max(0, Math.round(r.countBefore + r.count - below));
            return ClassicHistogramBuckets.of(upper, counts);
        }

        private static Labels labels(NamingConvention naming, Tags tags) {
            Labels.Builder b = Labels.builder();
            tags.forEach(t -> b.label(naming.tagKey(t.getKey()), naming.tagValue(t.getValue())));
            return b.build();
        }
    }

    private static final class Relayed {
        final String kind;
        final String name;
        /** A distribution of times (seconds), named as Micrometer names timers. */
        boolean timer;
        Meter meter;
        Tags tags = Tags.empty();
        String description;
        String unit;
        volatile double value;
        volatile double count;
        /** A timer's seconds, a distribution's sum. */
        volatile double total;
        volatile double max;
        /** A distribution's bucket upper bounds and the values at or below each (cumulative), as the worker counted. */
        volatile double[] bounds = new double[0];
        volatile double[] buckets = new double[0];
        volatile double countBefore;
        volatile double totalBefore;
        volatile double[] bucketsBefore = new double[0];

        Relayed(String kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        boolean cumulative() {
            return kind.equals(MeterSnapshots.COUNTER) || kind.equals(MeterSnapshots.TIMER)
                    || kind.equals(MeterSnapshots.DISTRIBUTION);
        }

        /** The current worker's counts become the offset of the next. */
        void fold() {
            countBefore += count;
            totalBefore += total;
            bucketsBefore = sum(bucketsBefore, buckets);
            count = 0;
            total = 0;
            buckets = new double[buckets.length];
        }

        /** Cumulative bucket counts over every worker so far. */
        double[] allBuckets() {
            return sum(bucketsBefore, buckets);
        }

        private static double[] sum(double[] a, double[] b) {
            double[] out = new double[Math.max(a.length, b.length)];
            for (int i = 0; i < out.length; i++) {
                out[i] = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
            }
            return out;
        }
    }

    /** Applies one snapshot of the live worker: new meters appear, values update, vanished gauges go. */
    public synchronized void apply(JsonNode snapshot) {
        Map<String, Relayed> seen = new HashMap<>();
        for (JsonNode n : snapshot.path("meters")) {
            String kind = n.path("kind").asText();
            boolean timer = n.path("timer").asBoolean(false);
            if (kind.equals(MeterSnapshots.DISTRIBUTION) && timer && distributions == null) {
                kind = MeterSnapshots.TIMER; // a registry without Prometheus' model: count and sum only
            }
            String name = relayedName(n.path("name").asText());
            List<Tag> tags = new ArrayList<>();
            n.path("tags").fields().forEachRemaining(e -> tags.add(Tag.of(e.getKey(), e.getValue().asText())));
            Tags t = Tags.of(tags);
            String key = key(kind, name, t);
            Relayed r = meters.get(key);
            if (r == null) {
                r = new Relayed(kind, name);
                r.timer = timer;
                r.meter = register(r, t, n.path("description").asText(null), n.path("unit").asText(null));
                if (r.meter == null) {
                    continue;
                }
                meters.put(key, r);
            }
            r.value = n.path("value").asDouble(Double.NaN);
            r.count = n.path("count").asDouble(0);
            r.total = n.has("sum") ? n.path("sum").asDouble(0) : n.path("seconds").asDouble(0);
            r.max = n.path("max").asDouble(0);
            if (n.has("buckets")) {
                double[] bounds = new double[n.path("buckets").size()];
                double[] counts = new double[bounds.length];
                for (int i = 0; i < bounds.length; i++) {
                    bounds[i] = n.path("buckets").get(i).get(0).asDouble();
                    counts[i] = n.path("buckets").get(i).get(1).asDouble();
                }
                r.bounds = bounds;
                r.buckets = counts;
            }
            seen.put(key, r);
        }
        meters.entrySet().removeIf(e -> {
            if (seen.containsKey(e.getKey())) {
                return false;
            }
            Relayed r = e.getValue();
            if (r.cumulative()) {
                r.fold(); // removed (or reset) in the worker: keep what it had counted
                return false;
            }
            registry.remove(r.meter);
            return true;
        });
    }

    /** The worker is gone: keep counts as offsets and the gauges of runs; drop its process gauges. */
    public synchronized void workerEnded() {
        meters.entrySet().removeIf(e -> {
            Relayed r = e.getValue();
            if (r.cumulative()) {
                r.fold();
                return false;
            }
            if (r.name.startsWith("dlx.") && !r.name.equals("dlx.run.active")) {
                return false;
            }
            registry.remove(r.meter);
            return true;
        });
    }

    /** Counts a run the supervisor itself recorded (a worker that died, a run that timed out). */
    public synchronized void countRun(String experiment, String status, double seconds) {
        Tags tags = Tags.of("experiment", experiment);
        cumulative(MeterSnapshots.COUNTER, "dlx.runs", tags.and("status", status), "finished runs by experiment and status")
                .countBefore += 1;
        Relayed timer = cumulative(distributions != null ? MeterSnapshots.DISTRIBUTION : MeterSnapshots.TIMER,
                "dlx.run.duration", tags, "wall time of a run");
        timer.countBefore += 1;
        timer.totalBefore += seconds;
    }

    private Relayed cumulative(String kind, String name, Tags tags, String description) {
        return meters.computeIfAbsent(key(kind, name, tags), k -> {
            Relayed r = new Relayed(kind, name);
            r.timer = !kind.equals(MeterSnapshots.COUNTER); // run durations
            r.meter = register(r, tags, description, null);
            return r;
        });
    }

    private Meter register(Relayed r, Tags tags, String description, String unit) {
        r.tags = tags;
        r.description = description;
        r.unit = unit;
        return switch (r.kind) {
            case MeterSnapshots.GAUGE -> Gauge.builder(r.name, r, x -> x.value).tags(tags).description(description)
                    .baseUnit(unit).strongReference(true).register(registry);
            case MeterSnapshots.TIME_GAUGE -> TimeGauge.builder(r.name, r, TimeUnit.SECONDS, x -> x.value).tags(tags)
                    .description(description).strongReference(true).register(registry);
            case MeterSnapshots.COUNTER -> FunctionCounter.builder(r.name, r, x -> x.countBefore + x.count).tags(tags)
                    .description(description).baseUnit(unit).register(registry);
            case MeterSnapshots.TIMER -> FunctionTimer.builder(r.name, r, x -> (long) (x.countBefore + x.count),
                    x -> x.totalBefore + x.total, TimeUnit.SECONDS).tags(tags).description(description).register(registry);
            case MeterSnapshots.DISTRIBUTION -> distributions == null ? null : distributions.add(r);
            default -> null;
        };
    }

    static String relayedName(String name) {
        return PROCESS_PREFIXES.stream().anyMatch(name::startsWith) ? "worker." + name : name;
    }

    private static String key(String kind, String name, Tags tags) {
        StringBuilder s = new StringBuilder(kind).append(' ').append(name);
        tags.stream().sorted().forEach(t -> s.append(' ').append(t.getKey()).append('=').append(t.getValue()));
        return s.toString();
    }
}
