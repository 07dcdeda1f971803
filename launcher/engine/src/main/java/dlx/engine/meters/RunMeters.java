package dlx.engine.meters;

import dlx.api.Labels;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gauges of one run: every number it records becomes {@code dlx_<snake key>} with the run's
 * tags ({@code experiment}, ...) and the value's own labels. Strong references: values stay after
 * the run for a late scrape ({@code --linger}).
 */
public final class RunMeters {
    private final MeterRegistry registry;
    private final Tags runTags;
    private final Map<String, Holder> gauges = new ConcurrentHashMap<>();

    public RunMeters(MeterRegistry registry, Tags runTags) {
        this.registry = registry;
        this.runTags = runTags;
    }

    public Tags runTags() {
        return runTags;
    }

    public void publish(String key, Labels labels, double value) {
        gauges.computeIfAbsent(labels.qualify(key), k -> {
            Holder holder = new Holder();
            Gauge.builder(MeterNames.forKey(key), holder, h -> h.value)
                    .tags(runTags.and(MeterNames.tags(labels)))
                    .description("the latest value a run recorded under '" + key + "'")
                    .strongReference(true)
                    .register(registry);
            return holder;
        }).value = value;
    }

    private static final class Holder {
        volatile double value;
    }
}
