package dlx.engine.record;

import dlx.api.DataSource;
import dlx.api.Labels;
import dlx.api.PlotSpec;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.Series;
import dlx.api.TableSpec;
import dlx.engine.meters.ProgressBars;
import dlx.engine.meters.RunMeters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The platform's {@link RunReporter}: keeps everything a run reports for its result and mirrors
 * each number as a labelled gauge. Keys are checked here (lower camelCase), so that no plugin can
 * name a meter or a file badly.
 */
public final class RecordingReporter implements RunReporter {
    private static final Pattern KEY = Pattern.compile("[a-z][a-zA-Z0-9]*");
    /** Keys whose meter would be one of the platform's own ({@code dlx_runs_total}, {@code dlx_run_active}, ...). */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("runs", "runDuration", "runActive", "progressRatio");

    private final String experimentId;
    private final RunMeters meters;
    private final ProgressBars progressBars;
    private final Consumer<String> logSink;

    private final Map<String, Double> metrics = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Object> answers = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, RecordedSeries> series = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<String> artifacts = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<PlotSpec> plots = Collections.synchronizedList(new ArrayList<>());
    private final List<TableSpec> tables = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failedChecks = Collections.synchronizedList(new ArrayList<>());
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<String> usedDevice = new AtomicReference<>();
    private final List<DataSource> dataSources = Collections.synchronizedList(new ArrayList<>());

    public RecordingReporter(String experimentId, RunMeters meters, ProgressBars progressBars, Consumer<String> logSink) {
        this.experimentId = experimentId;
        this.meters = meters;
        this.progressBars = progressBars;
        this.logSink = logSink;
    }

    @Override
    public void metric(String key, Labels labels, double value) {
        checkKey(key);
        metrics.put(labels.qualify(key), value);
        meters.publish(key, labels, value);
    }

    @Override
    public void answer(String key, Labels labels, Object value) {
        checkKey(key);
        synchronized (answers) {
            if (labels.isEmpty()) {
                answers.put(key, value);
            } else {
                nest(key, labels, value);
            }
        }
        if (value instanceof Number n) {
            meters.publish(key, labels, n.doubleValue());
        } else if (value instanceof Boolean b) {
            meters.publish(key, labels, b ? 1 : 0);
        }
    }

    /** answers[key][v1][v2]... = value, one level per label in order. */
    @SuppressWarnings("unchecked")
    private void nest(String key, Labels labels, Object value) {
        Object node = answers.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
        List<String> path = new ArrayList<>(labels.asMap().values());
        for (int i = 0; i < path.size(); i++) {
            if (!(node instanceof Map)) {
                throw new IllegalArgumentException("answer '" + key + "' already holds a plain value; it cannot also take labels " + labels);
            }
            Map<String, Object> map = (Map<String, Object>) node;
            if (i == path.size() - 1) {
                map.put(path.get(i), value);
            } else {
                node = map.computeIfAbsent(path.get(i), k -> new LinkedHashMap<String, Object>());
            }
        }
    }

    @Override
    public Series series(String key, Labels labels) {
        checkKey(key);
        return series.computeIfAbsent(labels.qualify(key), k -> new RecordedSeries(key, labels, meters));
    }

    @Override
    public void plot(PlotSpec plot) {
        plots.add(plot);
    }

    @Override
    public void table(TableSpec table) {
        tables.add(table);
    }

    @Override
    public void artifact(String fileName) {
        if (fileName.isBlank() || fileName.contains("/") || fileName.contains("\\") || fileName.equals("..")
                || fileName.equals(".")) {
            throw new IllegalArgumentException("artifact '" + fileName + "' must be a plain file name inside the run's folder");
        }
        artifacts.add(fileName);
    }

    @Override
    public void verify(String key, Labels labels, double residual, double tolerance) {
        metric(key, labels, residual);
        if (!(Math.abs(residual) < tolerance)) {
            failedChecks.add(labels.qualify(key) + " = " + residual + " is not below the tolerance " + tolerance);
        }
    }

    @Override
    public void log(String message) {
        logLines.add(message);
        logSink.accept("[" + experimentId + "] " + message);
    }

    @Override
    public Progress progress(String task, long totalUnits) {
        return progressBars.open(experimentId, meters.runTags(), task, totalUnits);
    }

    @Override
    public void usedDevice(String description) {
        usedDevice.set(description);
        log("device: " + description);
    }

    /** Keeps each data source once (a set read twice by one run is one entry). */
    @Override
    public void dataSource(DataSource source) {
        synchronized (dataSources) {
            if (dataSources.contains(source)) {
                return;
            }
            dataSources.add(source);
        }
        log("data: " + source.name() + " from " + source.location() + " (" + source.origin().id()
                + (source.bytes() != null ? ", " + source.bytes() + " bytes" : "")
                + (source.seed() != null ? ", seed " + source.seed() : "") + ")");
    }

    private void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key '" + key + "' must be lower camelCase (letters and digits); "
                    + "put dimensions such as a model or data set into Labels");
        }
        if (RESERVED.contains(key)) {
            throw new IllegalArgumentException("key '" + key + "' is the name of one of the platform's own meters; choose another");
        }
    }

    public Map<String, Double> metrics() { return metrics; }
    public Map<String, Object> answers() { return answers; }
    public Set<String> artifacts() { return artifacts; }
    public List<PlotSpec> plots() { return plots; }
    public List<TableSpec> tables() { return tables; }
    public List<String> failedChecks() { return failedChecks; }
    public List<String> logLines() { return logLines; }
    public String usedDevice() { return usedDevice.get(); }
    public List<DataSource> dataSources() {
        synchronized (dataSources) {
            return List.copyOf(dataSources);
        }
    }

    /** Every series by qualified key, points copied. */
    public Map<String, List<double[]>> seriesPoints() {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        synchronized (series) {
            series.forEach((k, s) -> out.put(k, s.points()));
        }
        return out;
    }
}
