package dlx.engine.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.engine.ExperimentResult;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes results per the contract: {@code DIR/<id>/result.json}, atomically (temp file, then
 * rename). Labelled metrics and series keep their labels in their keys ({@code valLoss{run=h32-small}}).
 */
public final class ResultStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    private final Path root;

    public ResultStore(Path root) {
        this.root = root;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public Path directoryFor(String experimentId) {
        return root.resolve(experimentId);
    }

    public Path resultFile(String experimentId) {
        return directoryFor(experimentId).resolve("result.json");
    }

    public void write(ExperimentResult r) throws IOException {
        ObjectNode node = toJson(r);
        Path target = resultFile(r.experiment());
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".result-", ".json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), node);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static ObjectNode toJson(ExperimentResult r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("experiment", r.experiment());
        node.put("status", r.status().id());
        if (r.error() != null) {
            node.put("error", r.error());
        }
        node.set("params", JSON.valueToTree(stringifyPaths(r.params())));
        node.set("metrics", JSON.valueToTree(r.metrics()));
        node.set("answers", JSON.valueToTree(r.answers()));
        ObjectNode series = node.putObject("series");
        r.series().forEach((name, points) -> {
            ArrayNode arr = series.putArray(name);
            for (double[] p : points) {
                arr.addArray().add(p[0]).add(p[1]);
            }
        });
        ArrayNode artifacts = node.putArray("artifacts");
        r.artifacts().forEach(artifacts::add);
        if (r.plugin() != null) {
            node.put("plugin", r.plugin());
        }
        if (r.device() != null) {
            node.put("device", r.device());
        }
        return node;
    }

    private static Map<String, Object> stringifyPaths(Map<String, Object> params) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v instanceof Path p ? p.toString() : v));
        return out;
    }
}
