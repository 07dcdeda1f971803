package dlx.engine;

import dlx.api.DataSource;
import dlx.api.Labels;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result contract of {@code experiments.md}: experiment, status, params, metrics, answers,
 * series, artifacts; {@code error} when not ok; plus the plugin, the device really used, the run
 * id, the environment the run ran in and where each data set it read came from.
 * Labelled metrics and series are keyed by their qualified key ({@code accuracy{model=mlp}});
 * labelled answers are nested maps by label value.
 */
public record ExperimentResult(
        String experiment,
        String plugin,
        Status status,
        String error,
        Map<String, Object> params,
        Map<String, Double> metrics,
        Map<String, Object> answers,
        Map<String, List<double[]>> series,
        List<String> artifacts,
        String device,
        String runId,
        Map<String, Object> environment,
        List<DataSource> dataSources) {

    public ExperimentResult {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        series = Collections.unmodifiableMap(new LinkedHashMap<>(series));
        artifacts = List.copyOf(artifacts);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        dataSources = dataSources == null ? List.of() : List.copyOf(dataSources);
    }

    /** A result that read no recorded data set. */
    public ExperimentResult(String experiment, String plugin, Status status, String error, Map<String, Object> params,
                            Map<String, Double> metrics, Map<String, Object> answers, Map<String, List<double[]>> series,
                            List<String> artifacts, String device, String runId, Map<String, Object> environment) {
        this(experiment, plugin, status, error, params, metrics, answers, series, artifacts, device, runId, environment,
                List.of());
    }

    /** The same result as one invocation saw it (e.g. {@code cached}). */
    public ExperimentResult withStatus(Status s) {
        return new ExperimentResult(experiment, plugin, s, error, params, metrics, answers, series, artifacts, device,
                runId, environment, dataSources);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    public double metric(String key) {
        return metric(key, Labels.NONE);
    }

    public double metric(String key, Labels labels) {
        Double v = metrics.get(labels.qualify(key));
        if (v == null) {
            throw new IllegalArgumentException(experiment + " recorded no metric '" + labels.qualify(key) + "'; it has " + metrics.keySet());
        }
        return v;
    }

    public Object answer(String key) {
        if (!answers.containsKey(key)) {
            throw new IllegalArgumentException(experiment + " recorded no answer '" + key + "'; it has " + answers.keySet());
        }
        return answers.get(key);
    }

    public List<double[]> series(String key) {
        return series(key, Labels.NONE);
    }

    public List<double[]> series(String key, Labels labels) {
        List<double[]> s = series.get(labels.qualify(key));
        if (s == null) {
            throw new IllegalArgumentException(experiment + " recorded no series '" + labels.qualify(key) + "'; it has " + series.keySet());
        }
        return s;
    }
}
