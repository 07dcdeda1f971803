package dlx.launcher.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * The worker's side of the meter relay: every meter of its registry as one JSON message. Gauges
 * send their value, counters their count, timers and distribution summaries (a plugin's
 * histograms) their count, sum, max and cumulative bucket counts (a timer's in seconds), function
 * timers their count and total seconds; long task timers (none of the platform's or the JVM
 * binders' meters) are not relayed.
 */
final class MeterSnapshots {
    static final String GAUGE = "gauge";
    static final String TIME_GAUGE = "timeGauge";
    static final String COUNTER = "counter";
    static final String TIMER = "timer";
    static final String DISTRIBUTION = "distribution";

    private MeterSnapshots() { }

    static ObjectNode of(MeterRegistry registry) {
        ObjectNode message = Channel.message(Protocol.METERS);
        ArrayNode meters = message.putArray("meters");
        for (Meter m : registry.getMeters()) {
            ObjectNode n = Channel.JSON.createObjectNode();
            boolean relayed = m.match(
                    g -> kind(n, GAUGE).put("value", g.value()) != null,
                    c -> kind(n, COUNTER).put("count", c.count()) != null,
                    t -> distribution(kind(n, DISTRIBUTION).put("timer", true), t.takeSnapshot(), TimeUnit.SECONDS) != null,
                    summary -> distribution(kind(n, DISTRIBUTION), summary.takeSnapshot(), null) != null,
                    longTask -> false,
                    tg -> kind(n, TIME_GAUGE).put("value", tg.value(TimeUnit.SECONDS)) != null,
                    fc -> kind(n, COUNTER).put("count", fc.count()) != null,
                    ft -> kind(n, TIMER).put("count", ft.count()).put("seconds", ft.totalTime(TimeUnit.SECONDS)) != null,
                    other -> false);
            if (!relayed) {
                continue;
            }
            Meter.Id id = m.getId();
            n.put("name", id.getName());
            if (id.getDescription() != null) {
                n.put("description", id.getDescription());
            }
            if (id.getBaseUnit() != null) {
                n.put("unit", id.getBaseUnit());
            }
            ObjectNode tags = n.putObject("tags");
            for (Tag t : id.getTagsAsIterable()) {
                tags.put(t.getKey(), t.getValue());
            }
            meters.add(n);
        }
        return message;
    }

    /**
     * count, sum, max and the histogram's buckets as [upper bound, values at or below it] (none
     * without a histogram); a timer's in {@code unit} (seconds), a summary's in its base unit.
     */
    private static ObjectNode distribution(ObjectNode n, HistogramSnapshot s, TimeUnit unit) {
        n.put("count", s.count()).put("sum", unit == null ? s.total() : s.total(unit))
                .put("max", unit == null ? s.max() : s.max(unit));
        ArrayNode buckets = n.putArray("buckets");
        for (CountAtBucket b : s.histogramCounts()) {
            buckets.addArray().add(unit == null ? b.bucket() : b.bucket(unit)).add(b.count());
        }
        return n;
    }

    private static ObjectNode kind(ObjectNode n, String kind) {
        return n.put("kind", kind);
    }
}
