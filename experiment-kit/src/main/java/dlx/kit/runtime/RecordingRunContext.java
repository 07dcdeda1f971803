package dlx.kit.runtime;

import dlx.api.DataLocations;
import dlx.api.Device;
import dlx.api.ExperimentSpec;
import dlx.api.Params;
import dlx.api.PlotSpec;
import dlx.api.Progress;
import dlx.api.RunContext;
import dlx.api.Series;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The platform's {@link RunContext}: records what the run reports and mirrors each number as a gauge. */
final class RecordingRunContext implements RunContext {
    private final ExperimentSpec spec;
    private final Params params;
    private final Path outputDir;
    private final RunSettings settings;
    private final Tags tags;

    private final Map<String, Double> metrics = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Object> answers = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, RecordedSeries> series = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<String> artifacts = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<PlotSpec> plots = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failedChecks = Collections.synchronizedList(new ArrayList<>());
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicDoubleHolder> gauges = new ConcurrentHashMap<>();
    private final AtomicReference<String> usedDevice = new AtomicReference<>();

    RecordingRunContext(ExperimentSpec spec, Params params, Path outputDir, RunSettings settings) {
        this.spec = spec;
        this.params = params;
        this.outputDir = outputDir;
        this.settings = settings;
        this.tags = Tags.of("experiment", spec.id());
    }

    @Override public ExperimentSpec spec() { return spec; }
    @Override public Params params() { return params; }
    @Override public MeterRegistry meters() { return settings.registry(); }
    @Override public Tags tags() { return tags; }
    @Override public Path outputDir() { return outputDir; }
    @Override public DataLocations data() { return settings.data(); }
    @Override public Device device() { return settings.device(); }
    @Override public boolean cancelled() { return settings.cancel().get(); }

    @Override
    public Progress progress(String task, long totalUnits) {
        return settings.progressBars().open(spec.id(), task, totalUnits);
    }

    @Override
    public void usedDevice(String description) {
        usedDevice.set(description);
        log("device: " + description);
    }

    @Override
    public void metric(String key, double value) {
        metrics.put(key, value);
        publish(key, value);
    }

    @Override
    public void answer(String key, Object value) {
        answers.put(key, value);
        if (value instanceof Number n) {
            publish(key, n.doubleValue());
        } else if (value instanceof Boolean b) {
            publish(key, b ? 1 : 0);
        }
    }

    @Override
    public Series series(String key) {
        return series.computeIfAbsent(key, RecordedSeries::new);
    }

    @Override
    public void artifact(String fileName) {
        artifacts.add(fileName);
    }

    @Override
    public void plot(PlotSpec plot) {
        plots.add(plot);
    }

    @Override
    public void verify(String key, double residual, double tolerance) {
        metric(key, residual);
        if (!(Math.abs(residual) < tolerance)) {
            failedChecks.add(key + " = " + residual + " is not below the tolerance " + tolerance);
        }
    }

    @Override
    public void log(String message) {
        logLines.add(message);
        settings.log().accept("[" + spec.id() + "] " + message);
    }

    private void publish(String key, double value) {
        gauges.computeIfAbsent(key, k -> {
            AtomicDoubleHolder holder = new AtomicDoubleHolder();
            Gauge.builder(MeterNames.forKey(k), holder, h -> h.value).tags(tags)
                    .strongReference(true) // the run context is dropped after the run; a late scrape still sees the value
                    .register(settings.registry());
            return holder;
        }).value = value;
    }

    Map<String, Double> metrics() { return metrics; }
    Map<String, Object> answers() { return answers; }
    Map<String, RecordedSeries> series() { return series; }
    Set<String> artifacts() { return artifacts; }
    List<PlotSpec> plots() { return plots; }
    List<String> failedChecks() { return failedChecks; }
    List<String> logLines() { return logLines; }
    String usedDevice() { return usedDevice.get(); }

    private static final class AtomicDoubleHolder {
        volatile double value;
    }

    final class RecordedSeries implements Series {
        private final String name;
        private final List<double[]> points = new ArrayList<>();

        RecordedSeries(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized Series add(double x, double y) {
            points.add(new double[] {x, y});
            publish(name, y);
            return this;
        }

        @Override
        public synchronized List<double[]> points() {
            List<double[]> copy = new ArrayList<>(points.size());
            for (double[] p : points) {
                copy.add(p.clone());
            }
            return copy;
        }
    }
}
