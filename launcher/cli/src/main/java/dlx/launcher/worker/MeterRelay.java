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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    public MeterRelay(MeterRegistry registry) {
        this.registry = registry;
    }

    private static final class Relayed {
        final String kind;
        final String name;
        Meter meter;
        volatile double value;
        volatile double count;
        volatile double seconds;
        volatile double countBefore;
        volatile double secondsBefore;

        Relayed(String kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        boolean cumulative() {
            return kind.equals(MeterSnapshots.COUNTER) || kind.equals(MeterSnapshots.TIMER);
        }

        /** The current worker's counts become the offset of the next. */
        void fold() {
            countBefore += count;
            secondsBefore += seconds;
            count = 0;
            seconds = 0;
        }
    }

    /** Applies one snapshot of the live worker: new meters appear, values update, vanished gauges go. */
    public synchronized void apply(JsonNode snapshot) {
        Map<String, Relayed> seen = new HashMap<>();
        for (JsonNode n : snapshot.path("meters")) {
            String kind = n.path("kind").asText();
            String name = relayedName(n.path("name").asText());
            List<Tag> tags = new ArrayList<>();
            n.path("tags").fields().forEachRemaining(e -> tags.add(Tag.of(e.getKey(), e.getValue().asText())));
            Tags t = Tags.of(tags);
            String key = key(kind, name, t);
            Relayed r = meters.get(key);
            if (r == null) {
                r = new Relayed(kind, name);
                r.meter = register(r, t, n.path("description").asText(null), n.path("unit").asText(null));
                if (r.meter == null) {
                    continue;
                }
                meters.put(key, r);
            }
            r.value = n.path("value").asDouble(Double.NaN);
            r.count = n.path("count").asDouble(0);
            r.seconds = n.path("seconds").asDouble(0);
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
        Relayed timer = cumulative(MeterSnapshots.TIMER, "dlx.run.duration", tags, "wall time of a run");
        timer.countBefore += 1;
        timer.secondsBefore += seconds;
    }

    private Relayed cumulative(String kind, String name, Tags tags, String description) {
        return meters.computeIfAbsent(key(kind, name, tags), k -> {
            Relayed r = new Relayed(kind, name);
            r.meter = register(r, tags, description, null);
            return r;
        });
    }

    private Meter register(Relayed r, Tags tags, String description, String unit) {
        return switch (r.kind) {
            case MeterSnapshots.GAUGE -> Gauge.builder(r.name, r, x -> x.value).tags(tags).description(description)
                    .baseUnit(unit).strongReference(true).register(registry);
            case MeterSnapshots.TIME_GAUGE -> TimeGauge.builder(r.name, r, TimeUnit.SECONDS, x -> x.value).tags(tags)
                    .description(description).strongReference(true).register(registry);
            case MeterSnapshots.COUNTER -> FunctionCounter.builder(r.name, r, x -> x.countBefore + x.count).tags(tags)
                    .description(description).baseUnit(unit).register(registry);
            case MeterSnapshots.TIMER -> FunctionTimer.builder(r.name, r, x -> (long) (x.countBefore + x.count),
                    x -> x.secondsBefore + x.seconds, TimeUnit.SECONDS).tags(tags).description(description).register(registry);
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
