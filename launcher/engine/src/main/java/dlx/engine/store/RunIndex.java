package dlx.engine.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a results folder: every {@code <experiment>/<run id>/result.json}, without ever throwing
 * on what it finds. A truncated or non-JSON result, a run folder without a result, a foreign file,
 * a dangling {@code latest} and a result in the old one-folder-per-experiment layout are listed as
 * marked entries. Results are read with Jackson's streaming parser, skipping the series' points
 * except their last, so that 10,000 runs read in well under two seconds.
 */
public final class RunIndex {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<Map<String, Object>>> SOURCES = new TypeReference<>() { };

    private RunIndex() { }

    /** Every entry of {@code root}, newest start first (marked entries last). */
    public static List<RunRecord> scan(Path root) {
        List<Path> runDirs = new ArrayList<>();
        List<RunRecord> marked = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        for (Path expDir : list(root)) {
            String exp = expDir.getFileName().toString();
            if (exp.startsWith(".") || exp.equals("report") || exp.equals("sweeps")) {
                continue;
            }
            if (!Files.isDirectory(expDir)) {
                marked.add(RunRecord.problem(exp, "-", expDir, "corrupt", "foreign file: " + expDir.getFileName()));
                continue;
            }
            if (Files.isRegularFile(expDir.resolve(RunFolder.RESULT))) {
                marked.add(RunRecord.problem(exp, "-", expDir, "old-layout", "old layout: " + root.relativize(expDir.resolve(
                        RunFolder.RESULT)) + " was written before run ids; run the experiment again to record it as a run"));
            }
            for (Path entry : list(expDir)) {
                String name = entry.getFileName().toString();
                if (name.equals(RunFolder.LATEST)) {
                    Optional<String> target = RunFolder.latest(expDir);
                    if (target.isEmpty() || !Files.isDirectory(expDir.resolve(target.get()))) {
                        marked.add(RunRecord.problem(exp, target.orElse("-"), entry, "corrupt",
                                "corrupt: " + exp + "/latest: points at a run that does not exist (" + target.orElse("?") + ")"));
                    }
                } else if (name.startsWith(".") || (!Files.isDirectory(entry) && name.equals(RunFolder.RESULT))) {
                    continue;
                } else if (!Files.isDirectory(entry)) {
                    if (!Files.isRegularFile(expDir.resolve(RunFolder.RESULT))) {
                        marked.add(RunRecord.problem(exp, "-", entry, "corrupt", "foreign file: " + exp + "/" + name));
                    }
                } else if (!Files.isRegularFile(expDir.resolve(RunFolder.RESULT))) {
                    runDirs.add(entry);
                }
            }
        }
        List<RunRecord> runs = runDirs.parallelStream().map(RunIndex::read).toList();
        List<RunRecord> out = new ArrayList<>(runs);
        out.sort(Comparator.comparing((RunRecord r) -> r.started() == null ? "" : r.started()).reversed()
                .thenComparing(RunRecord::experiment).thenComparing(RunRecord::runId));
        out.addAll(marked);
        return out;
    }

    /** One run folder; never throws. */
    public static RunRecord read(Path dir) {
        String exp = dir.getParent().getFileName().toString();
        String id = dir.getFileName().toString();
        Path file = dir.resolve(RunFolder.RESULT);
        if (!Files.isRegularFile(file)) {
            boolean locked = Files.exists(dir.resolve(RunFolder.LOCK));
            return RunRecord.problem(exp, id, dir, locked ? "running" : "incomplete", locked
                    ? "running: " + exp + "/" + id + " has a lock and no result yet"
                    : "corrupt: " + exp + "/" + id + ": no result.json (interrupted, or not a run folder)");
        }
        try (JsonParser p = ResultStore.json().getFactory().createParser(file.toFile())) {
            return parse(p, exp, id, dir);
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return RunRecord.problem(exp, id, dir, "corrupt", "corrupt: " + exp + "/" + id + "/result.json: " + reason);
        }
    }

    private static RunRecord parse(JsonParser p, String exp, String id, Path dir) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
        String experiment = null;
        String runId = null;
        String status = null;
        String device = null;
        String error = null;
        Map<String, Object> params = null;
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Object> answers = null;
        Map<String, Double> seriesFinal = new LinkedHashMap<>();
        String started = null;
        List<Map<String, Object>> dataSources = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "experiment" -> experiment = p.getValueAsString();
                case "runId" -> runId = p.getValueAsString();
                case "status" -> status = p.getValueAsString();
                case "device" -> device = p.getValueAsString();
                case "error" -> error = p.getValueAsString();
                case "params" -> params = p.readValueAs(MAP);
                case "answers" -> answers = p.readValueAs(MAP);
                case "metrics" -> {
                    JsonNode m = p.readValueAsTree();
                    m.fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null));
                }
                case "series" -> readSeriesFinals(p, seriesFinal);
                case "dataSources" -> dataSources = p.readValueAs(SOURCES);
                case "environment" -> {
                    JsonNode env = p.readValueAsTree();
                    started = env.path("startedUtc").asText(null);
                }
                default -> p.skipChildren();
            }
            if (t == null) {
                break;
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("truncated");
        }
        if (experiment == null || status == null) {
            throw new IOException("not a dlx result (no experiment or status)");
        }
        return new RunRecord(experiment, Objects.requireNonNullElse(runId, id), dir, status, started,
                metrics.get("durationSeconds"), device, error, params, metrics, answers, seriesFinal, null, dataSources);
    }

    /** Keeps each series' last y, skipping the other points. */
    private static void readSeriesFinals(JsonParser p, Map<String, Double> out) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken(); // START_ARRAY of points
            Double last = null;
            while (p.nextToken() == JsonToken.START_ARRAY) {
                p.nextToken();
                p.nextToken();
                last = p.getDoubleValue();
                p.nextToken(); // END_ARRAY of the point
            }
            if (last != null) {
                out.put(name, last);
            }
        }
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException ignored) {
            // an unreadable folder lists nothing
        }
        out.sort(null);
        return out;
    }
}
