package dlx.launcher.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunFolder;
import dlx.engine.store.RunRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the pages show of one run: a row of the index (from the {@link RunRecord} alone) and the
 * run page's data (what its {@code result.json} holds, its files, the ends of its logs).
 */
final class RunData {
    /** Points kept per series in the page's data; the CSV next to the result keeps them all. */
    static final int MAX_POINTS = 10_000;
    /** Bytes of a log shown on the run page (its end); the page links the whole file. */
    static final int LOG_TAIL = 64 * 1024;
    /**
     * Metrics that are numerical checks: {@code reporter.verify} records a residual as a metric but
     * not that it is one, so they are recognised by name, as the plugins name them
     * ({@code ...Residual}, {@code ...RelErr}, {@code ...Error}, {@code ...Violations}, {@code ...Mismatches},
     * {@code ...Excess}, {@code ...Diff}, {@code ...MaxZ}).
     */
    static final Pattern CHECK_KEY = Pattern.compile("(?i).*(residual|err|error|violations?|mismatch(es)?|excess|diff|maxz)");
    /** One failed check in a failed run's error, as the engine writes it. */
    static final Pattern FAILED_CHECK = Pattern.compile("(\\S+) = (\\S+) is not below the tolerance (\\S+)");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RunData() { }

    /** The index row: short field names, since the index of 10,000 runs is one file. */
    static ObjectNode row(RunRecord r, String token) {
        ObjectNode n = NODES.objectNode();
        n.put("e", r.experiment());
        n.put("id", r.runId());
        n.put("t", token);
        n.put("s", r.status());
        n.put("st", r.started());
        if (r.durationSeconds() != null) {
            n.put("d", r.durationSeconds());
        }
        n.put("dev", r.device());
        ObjectNode params = n.putObject("p");
        r.params().forEach((k, v) -> params.set(k, scalar(v)));
        ObjectNode metrics = n.putObject("m");
        r.metrics().forEach((k, v) -> {
            if (v != null) {
                metrics.put(k, v);
            }
        });
        String note = r.problem() != null ? r.problem() : firstLine(r.error());
        if (note != null) {
            n.put("n", note);
        }
        return n;
    }

    /** A parameter as one sortable cell: numbers, booleans and text stay; lists and maps become text. */
    private static JsonNode scalar(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return ResultStore.json().valueToTree(v);
        }
        return NODES.textNode(String.valueOf(v));
    }

    static String firstLine(String text) {
        return text == null ? null : text.lines().findFirst().orElse("");
    }

    /**
     * The run page's data as JSON text. {@code href}: the run folder relative to the report folder,
     * URL-encoded. The result is copied token by token, numbers as the run wrote them (no parsing and
     * printing of every point: most of a build's time otherwise).
     */
    static String page(RunRecord r, String token, String href) {
        if (r.ok()) {
            try {
                return page(r, token, href, r.status(), null, r.dir().resolve(RunFolder.RESULT));
            } catch (IOException | RuntimeException e) {
                // rewritten since the index read it (a run finishing now): the next build shows it
                String problem = "corrupt: " + r.experiment() + "/" + r.runId() + "/result.json: " + firstLine(String.valueOf(e.getMessage()));
                return uncheckedPage(r, token, href, "corrupt", problem);
            }
        }
        return uncheckedPage(r, token, href, r.status(), r.problem());
    }

    private static String uncheckedPage(RunRecord r, String token, String href, String status, String problem) {
        try {
            return page(r, token, href, status, problem, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String page(RunRecord r, String token, String href, String status, String problem, Path result) throws IOException {
        StringWriter text = new StringWriter();
        ObjectMapper json = ScriptData.json();
        try (JsonGenerator g = json.getFactory().createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("token", token);
            g.writeStringField("experiment", r.experiment());
            g.writeStringField("runId", r.runId());
            g.writeStringField("status", status);
            g.writeStringField("problem", problem);
            g.writeStringField("href", href);
            g.writeStringField("started", r.started());
            if (result != null) {
                copyResult(result, g);
            }
            g.writeFieldName("checks");
            json.writeTree(g, checks(r.metrics(), r.status(), r.error()));
            Path dir = r.dir();
            if (Files.isDirectory(dir)) {
                g.writeFieldName("files");
                json.writeTree(g, files(dir, href));
                g.writeObjectFieldStart("logs");
                for (String log : List.of("run.log", "error.log")) {
                    if (Files.isRegularFile(dir.resolve(log))) {
                        g.writeFieldName(log);
                        json.writeTree(g, tail(dir.resolve(log)));
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return text.toString();
    }

    /** The fields of {@code result.json} a run page shows; series as columns. */
    private static void copyResult(Path result, JsonGenerator g) throws IOException {
        try (JsonParser p = ScriptData.json().getFactory().createParser(result.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "error", "plugin", "device", "params", "metrics", "answers", "environment", "artifacts" -> {
                        g.writeFieldName(field);
                        copy(p, g);
                    }
                    case "series" -> series(p, g);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("truncated");
            }
        }
    }

    /** One value, numbers as their text. */
    private static void copy(JsonParser p, JsonGenerator g) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IOException("truncated");
        }
        switch (t) {
            case START_OBJECT -> {
                g.writeStartObject();
                while (next(p) == JsonToken.FIELD_NAME) {
                    g.writeFieldName(p.currentName());
                    next(p);
                    copy(p, g);
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw new IOException("truncated");
                }
                g.writeEndObject();
            }
            case START_ARRAY -> {
                g.writeStartArray();
                while (next(p) != JsonToken.END_ARRAY) {
                    copy(p, g);
                }
                g.writeEndArray();
            }
            case VALUE_STRING -> g.writeString(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
            case VALUE_TRUE, VALUE_FALSE -> g.writeBoolean(t == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> g.writeNull();
            default -> throw new IOException("unexpected " + t);
        }
    }

    /**
     * {@code "series": {name: [[x, y], ...]}} as {@code {name: {x: [...], y: [...], n: points}}}, every
     * k-th point (and the last) beyond {@link #MAX_POINTS}; a value that is not a number is null (a gap).
     */
    private static void series(JsonParser p, JsonGenerator g) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        g.writeObjectFieldStart("series");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            List<String> xs = new ArrayList<>();
            List<String> ys = new ArrayList<>();
            if (p.nextToken() == JsonToken.START_ARRAY) {
                for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
                    if (t != JsonToken.START_ARRAY) {
                        throw new IOException("series " + name + ": a point is not [x, y]");
                    }
                    next(p);
                    xs.add(number(p));
                    next(p);
                    ys.add(number(p));
                    while (next(p) != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            g.writeObjectFieldStart(name);
            int count = xs.size();
            int stride = Math.max(1, (count + MAX_POINTS - 1) / MAX_POINTS);
            for (List<String> column : List.of(xs, ys)) {
                g.writeArrayFieldStart(column == xs ? "x" : "y");
                for (int i = 0; i < count; i++) {
                    if (i % stride == 0 || i == count - 1) {
                        if (column.get(i) == null) {
                            g.writeNull();
                        } else {
                            g.writeNumber(column.get(i));
                        }
                    }
                }
                g.writeEndArray();
            }
            g.writeNumberField("n", count);
            g.writeEndObject();
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("truncated");
        }
        g.writeEndObject();
    }

    private static String number(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.END_ARRAY) {
            throw new IOException("a series point is not [x, y]");
        }
        p.skipChildren();
        return t.isNumeric() ? p.getText() : null;
    }

    /** The next token; the end of the file inside a value is an error. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new IOException("truncated");
        }
        return t;
    }

    /**
     * The numerical checks a run recorded, with their verdicts: in an {@code ok} run every check
     * passed (a failed one fails the run); a failed verification names each failed check and its
     * tolerance in the error; after any other failure the verdict is unknown.
     */
    static ArrayNode checks(Map<String, Double> metrics, String status, String error) {
        ArrayNode out = NODES.arrayNode();
        Map<String, String[]> failed = new java.util.LinkedHashMap<>();
        if (error != null && error.startsWith("verification failed:")) {
            Matcher m = FAILED_CHECK.matcher(error);
            while (m.find()) {
                failed.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
        }
        Set<String> seen = new HashSet<>();
        metrics.forEach((key, value) -> {
            String base = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            if (CHECK_KEY.matcher(base).matches() || failed.containsKey(key)) {
                seen.add(key);
                out.add(check(key, value, status, failed));
            }
        });
        failed.keySet().stream().filter(k -> !seen.contains(k)).forEach(k -> out.add(check(k, null, status, failed)));
        return out;
    }

    private static ObjectNode check(String key, Double value, String status, Map<String, String[]> failed) {
        ObjectNode c = NODES.objectNode();
        c.put("key", key);
        String[] f = failed.get(key);
        if (value != null) {
            c.put("residual", value);
        } else if (f != null) {
            c.put("residual", f[0]);
        }
        if (f != null) {
            c.put("tolerance", f[1]);
        }
        c.put("verdict", f != null ? "failed" : "ok".equals(status) ? "passed" : failed.isEmpty() ? "unknown" : "passed");
        return c;
    }

    /** The folder's files (not the hidden ones: lock, temp files), with links relative to the report. */
    private static ArrayNode files(Path dir, String href) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(entries::add);
        } catch (IOException e) {
            return NODES.arrayNode();
        }
        entries.sort(null);
        ArrayNode out = NODES.arrayNode();
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            ObjectNode f = out.addObject();
            f.put("name", name);
            f.put("href", href + "/" + segment(name));
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                f.put("kind", a.isDirectory() ? "dir" : kind(name));
                if (!a.isDirectory()) {
                    f.put("size", a.size());
                }
            } catch (IOException e) {
                f.put("kind", kind(name)); // gone meanwhile: listed as it was named
            }
        }
        return out;
    }

    private static String kind(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".svg")
                || lower.endsWith(".gif")) {
            return "image";
        }
        if (lower.endsWith(".csv")) {
            return "csv";
        }
        if (lower.endsWith(".log") || lower.endsWith(".txt")) {
            return "log";
        }
        return lower.endsWith(".json") ? "json" : "file";
    }

    /** The end of a log (whole lines), undecodable bytes replaced. */
    static ObjectNode tail(Path file) {
        ObjectNode n = NODES.objectNode();
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            long from = Math.max(0, size - LOG_TAIL);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
            ch.position(from);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read to the end
            }
            buf.flip();
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(buf).toString();
            if (from > 0 && text.indexOf('\n') >= 0) {
                text = text.substring(text.indexOf('\n') + 1);
            }
            n.put("text", text);
            n.put("size", size);
            n.put("truncated", from > 0);
        } catch (IOException e) {
            n.put("text", "(cannot read " + file.getFileName() + ": " + e.getMessage() + ")");
        }
        return n;
    }

    /** A path as a relative URL, each segment percent-encoded. */
    static String href(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(segment(p.toString())));
        return String.join("/", parts);
    }

    static String segment(String name) {
        return name.equals("..") || name.equals(".") ? name : URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
