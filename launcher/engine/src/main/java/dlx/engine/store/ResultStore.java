package dlx.engine.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code result.json} per the contract, atomically (temp file, then rename) and
 * readable like every other result file (0644, whatever mode the temp file was created with).
 * Labelled metrics and series keep their labels in their keys ({@code valLoss{run=h32-small}}).
 */
public final class ResultStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    private ResultStore() { }

    public static ObjectMapper json() {
        return JSON;
    }

    /** Writes {@code r} as {@code file}, atomically. */
    public static void write(ExperimentResult r, Path file) throws IOException {
        writeAtomically(file, toJson(r));
    }

    public static void writeAtomically(Path target, JsonNode node) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName().toString().replace(".json", "") + "-", ".json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), node);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
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
        if (r.runId() != null) {
            node.put("runId", r.runId());
        }
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
        if (!r.environment().isEmpty()) {
            node.set("environment", JSON.valueToTree(r.environment()));
        }
        return node;
    }

    /** Reads a result back (for a cached run, {@code dlx runs}, {@code dlx show}). */
    public static ExperimentResult fromJson(JsonNode n) {
        Map<String, Object> params = JSON.convertValue(n.path("params"), new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Double> metrics = new LinkedHashMap<>();
        n.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().isNumber()
                ? e.getValue().asDouble() : Double.NaN));
        Map<String, Object> answers = JSON.convertValue(n.path("answers"), new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        n.path("series").fields().forEachRemaining(e -> {
            List<double[]> pts = new ArrayList<>();
            e.getValue().forEach(p -> pts.add(new double[] {p.path(0).asDouble(), p.path(1).asDouble()}));
            series.put(e.getKey(), pts);
        });
        List<String> artifacts = new ArrayList<>();
        n.path("artifacts").forEach(a -> artifacts.add(a.asText()));
        Map<String, Object> environment = JSON.convertValue(n.path("environment"),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        return new ExperimentResult(n.path("experiment").asText(), text(n, "plugin"), Status.parse(n.path("status").asText()),
                text(n, "error"), params == null ? Map.of() : params, metrics, answers == null ? Map.of() : answers, series,
                artifacts, text(n, "device"), text(n, "runId"), environment == null ? Map.of() : environment);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Map<String, Object> stringifyPaths(Map<String, Object> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v instanceof Path p ? p.toString() : v));
        return out;
    }
}
