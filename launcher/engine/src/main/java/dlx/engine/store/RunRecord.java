package dlx.engine.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One entry of a results folder as {@code dlx runs} lists it: a run read from its
 * {@code result.json}, or a marked problem ({@code problem} set: a corrupt or partial entry, a
 * foreign file, a dangling {@code latest}, a result in the old layout).
 */
public record RunRecord(String experiment, String runId, Path dir, String status, String started, Double durationSeconds,
                        String device, String error, Map<String, Object> params, Map<String, Double> metrics,
                        Map<String, Object> answers, Map<String, Double> seriesFinal, String problem,
                        List<Map<String, Object>> dataSources) {

    public RunRecord {
        dataSources = dataSources == null ? List.of() : List.copyOf(dataSources);
        params = params == null ? Map.of() : params;
        metrics = metrics == null ? Map.of() : metrics;
        answers = answers == null ? Map.of() : answers;
        seriesFinal = seriesFinal == null ? Map.of() : seriesFinal;
    }

    /** A run as read before data sources were recorded. */
    public RunRecord(String experiment, String runId, Path dir, String status, String started, Double durationSeconds,
                     String device, String error, Map<String, Object> params, Map<String, Double> metrics,
                     Map<String, Object> answers, Map<String, Double> seriesFinal, String problem) {
        this(experiment, runId, dir, status, started, durationSeconds, device, error, params, metrics, answers, seriesFinal,
                problem, List.of());
    }

    static RunRecord problem(String experiment, String runId, Path dir, String status, String problem) {
        return new RunRecord(experiment, runId, dir, status, null, null, null, null, null, null, null, null, problem);
    }

    public boolean ok() {
        return problem == null;
    }

    /**
     * A value by dotted path: {@code experiment}, {@code runId}, {@code status}, {@code started},
     * {@code duration}, {@code device}, {@code params.<name>}, {@code metrics.<key>},
     * {@code answers.<key>}, {@code series.<key>} (its last y), {@code data.<name>} (where that data set
     * came from: origin and location); null when absent.
     */
    public Object value(String path) {
        return switch (path) {
            case "experiment" -> experiment;
            case "runId", "run" -> runId;
            case "status" -> status;
            case "started" -> started;
            case "duration", "durationSeconds" -> durationSeconds;
            case "device" -> device;
            case "error" -> error;
            default -> {
                int dot = path.indexOf('.');
                if (dot < 0) {
                    yield null;
                }
                String key = path.substring(dot + 1);
                yield switch (path.substring(0, dot)) {
                    case "params" -> params.get(key);
                    case "metrics" -> metrics.get(key);
                    case "answers" -> answers.get(key);
                    case "series" -> seriesFinal.get(key);
                    case "data" -> dataSources.stream().filter(d -> key.equals(d.get("name")))
                            .map(d -> d.get("origin") + " " + d.get("location")).findFirst().orElse(null);
                    default -> null;
                };
            }
        };
    }
}
