package dlx.engine.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.api.DataSource;
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
        // The contract says numbers: a NaN or an infinity is written as null, and nonFinite says what it was.
        ObjectNode nonFinite = JSON.createObjectNode();
        ObjectNode metrics = node.putObject("metrics");
        r.metrics().forEach((k, v) -> number(metrics, k, v, nonFinite, "metrics." + k));
        node.set("answers", finite(JSON.valueToTree(r.answers()), nonFinite, "answers"));
        ObjectNode series = node.putObject("series");
        r.series().forEach((name, points) -> {
            ArrayNode arr = series.putArray(name);
            for (int i = 0; i < points.size(); i++) {
                ArrayNode point = arr.addArray();
                number(point, points.get(i)[0], nonFinite, "series." + name + "[" + i + "][0]");
                number(point, points.get(i)[1], nonFinite, "series." + name + "[" + i + "][1]");
            }
        });
        if (!nonFinite.isEmpty()) {
            node.set("nonFinite", nonFinite);
        }
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
        if (!r.dataSources().isEmpty()) {
            ArrayNode sources = node.putArray("dataSources");
            r.dataSources().forEach(d -> sources.add(dataSource(d)));
        }
        return node;
    }

    private static ObjectNode dataSource(DataSource d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", d.name());
        n.put("origin", d.origin().id());
        n.put("location", d.location());
        if (d.bytes() != null) {
            n.put("bytes", d.bytes());
        }
        if (d.sha256() != null) {
            n.put("sha256", d.sha256());
        }
        if (d.seed() != null) {
            n.put("seed", d.seed());
        }
        return n;
    }

    /** A {@code dataSources} entry read back; an entry with an origin this reader does not know (a newer writer) is skipped. */
    static java.util.Optional<DataSource> dataSource(JsonNode n) {
        for (DataSource.Origin o : DataSource.Origin.values()) {
            if (o.id().equals(n.path("origin").asText())) {
                return java.util.Optional.of(new DataSource(n.path("name").asText(), o, n.path("location").asText(),
                        n.hasNonNull("bytes") ? n.get("bytes").asLong() : null, text(n, "sha256"),
                        n.hasNonNull("seed") ? n.get("seed").asLong() : null));
            }
        }
        return java.util.Optional.empty();
    }

    private static void number(ObjectNode into, String key, Double v, ObjectNode nonFinite, String path) {
        if (v == null || Double.isFinite(v)) {
            into.put(key, v);
        } else {
            into.putNull(key);
            nonFinite.put(path, v.toString());
        }
    }

    private static void number(ArrayNode into, double v, ObjectNode nonFinite, String path) {
        if (Double.isFinite(v)) {
            into.add(v);
        } else {
            into.addNull();
            nonFinite.put(path, Double.toString(v));
        }
    }

    /** Answers may nest numbers anywhere: every non-finite one becomes null, recorded in {@code nonFinite}. */
    private static JsonNode finite(JsonNode n, ObjectNode nonFinite, String path) {
        if (n.isNumber() && !Double.isFinite(n.asDouble())) {
            nonFinite.put(path, Double.toString(n.asDouble()));
            return JSON.nullNode();
        }
        if (n.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            n.fields().forEachRemaining(e -> out.set(e.getKey(), finite(e.getValue(), nonFinite, path + "." + e.getKey())));
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            for (int i = 0; i < n.size(); i++) {
                out.add(finite(n.get(i), nonFinite, path + "[" + i + "]"));
            }
            return out;
        }
        return n;
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
        List<DataSource> sources = new ArrayList<>();
        n.path("dataSources").forEach(d -> dataSource(d).ifPresent(sources::add));
        return new ExperimentResult(n.path("experiment").asText(), text(n, "plugin"), Status.parse(n.path("status").asText()),
                text(n, "error"), params == null ? Map.of() : params, metrics, answers == null ? Map.of() : answers, series,
                artifacts, text(n, "device"), text(n, "runId"), environment == null ? Map.of() : environment, sources);
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
