package dlx.launcher.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.engine.store.ResultStore;
import dlx.launcher.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frozen sweep: every run with its index, experiment, run id and the parameters it is given
 * (profile included), as {@code <results>/sweeps/<sweep id>/plan.json}. Tasks on a cluster run
 * {@code dlx run --sweep plan.json --index i}; the run id recorded here is checked against the
 * one the task computes, so a task never runs other code or parameters than were planned. The
 * sweep id digests the runs' ids, so planning the same sweep again names the same folder and a
 * resubmission finds what is already done.
 *
 * @param runs the array: indices 0..n-1
 * @param fit  a fanned-out study's fit, index n, run after every cell is done (null otherwise)
 */
public record SweepPlan(String id, String name, Path results, String source, List<Entry> runs, Entry fit) {
    public static final String FORMAT = "dlx-sweep-plan/1";
    public static final String FILE = "plan.json";
    public static final String SWEEPS = "sweeps";

    /** One planned run; {@code params} are the raw values given (every other parameter takes its default). */
    public record Entry(int index, String experiment, String runId, Map<String, String> params) {
        public Entry {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    public SweepPlan {
        runs = List.copyOf(runs);
    }

    /** Every entry, the fit last. */
    public List<Entry> entries() {
        List<Entry> all = new ArrayList<>(runs);
        if (fit != null) {
            all.add(fit);
        }
        return all;
    }

    public int size() {
        return runs.size() + (fit == null ? 0 : 1);
    }

    /** @throws UsageException when {@code index} is not an index of this plan */
    public Entry entry(int index) {
        if (index < 0 || index >= size()) {
            throw new UsageException("--index " + index + " is out of range: sweep " + id + " has indices 0.." + (size() - 1)
                    + " (" + folder().resolve(FILE) + ")");
        }
        return index < runs.size() ? runs.get(index) : fit;
    }

    public boolean isFit(int index) {
        return fit != null && index == fit.index();
    }

    /** {@code <results>/sweeps/<id>}: the plan, batch scripts, job records, task logs. */
    public Path folder() {
        return folder(results, id);
    }

    public static Path folder(Path results, String id) {
        return results.resolve(SWEEPS).resolve(id);
    }

    public Path planFile() {
        return folder().resolve(FILE);
    }

    /** The sweep id: the first 12 hex digits of a SHA-256 over the runs' ids (and the fit's experiment). */
    static String idOf(List<Entry> runs, String fitExperiment) {
        StringBuilder canonical = new StringBuilder(FORMAT).append('\n');
        for (Entry e : runs) {
            canonical.append(e.index()).append(' ').append(e.experiment()).append(' ').append(e.runId()).append('\n');
        }
        if (fitExperiment != null) {
            canonical.append("fit ").append(fitExperiment).append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes {@code plan.json} unless the folder already holds this sweep's plan (then it stays as first frozen). */
    public void freeze() throws IOException {
        if (Files.isRegularFile(planFile())) {
            return;
        }
        Files.createDirectories(folder());
        ResultStore.writeAtomically(planFile(), toJson());
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("sweep", id);
        if (name != null) {
            root.put("name", name);
        }
        root.put("results", results.toString());
        root.put("source", source);
        root.put("created", java.time.Instant.now().toString());
        ArrayNode array = root.putArray("runs");
        runs.forEach(e -> array.add(entryJson(e)));
        if (fit != null) {
            root.set("fit", entryJson(fit));
        }
        return root;
    }

    private static ObjectNode entryJson(Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("index", e.index());
        n.put("experiment", e.experiment());
        n.put("runId", e.runId());
        ObjectNode p = n.putObject("params");
        e.params().forEach(p::put);
        return n;
    }

    /** Whether a parsed sweep file is a frozen plan rather than a sweep to plan. */
    static boolean isPlan(JsonNode root) {
        return root != null && root.isObject() && FORMAT.equals(root.path("format").asText());
    }

    /**
     * Reads a frozen plan: {@code plan.json} or the sweep folder holding it.
     * @throws UsageException naming the file when it is missing or not a plan
     */
    public static SweepPlan read(Path fileOrFolder) {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(FILE) : fileOrFolder;
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UsageException(Files.exists(file) ? file + " is not a sweep plan: " + SweepSpec.firstLine(e.getMessage())
                    : "no sweep plan at " + file + " (dlx sweep plan writes one)");
        }
        return fromJson(root, file);
    }

    static SweepPlan fromJson(JsonNode root, Path file) {
        if (!isPlan(root)) {
            throw new UsageException(file + " is not a sweep plan of format " + FORMAT);
        }
        try {
            List<Entry> runs = new ArrayList<>();
            for (JsonNode n : root.withArray("runs")) {
                runs.add(entry(n));
            }
            Entry fit = root.hasNonNull("fit") ? entry(root.get("fit")) : null;
            return new SweepPlan(root.get("sweep").asText(), root.hasNonNull("name") ? root.get("name").asText() : null,
                    Path.of(root.get("results").asText()), root.path("source").asText(), runs, fit);
        } catch (RuntimeException e) {
            throw new UsageException(file + " is a damaged sweep plan: " + e);
        }
    }

    private static Entry entry(JsonNode n) {
        Map<String, String> params = new LinkedHashMap<>();
        n.get("params").fields().forEachRemaining(f -> params.put(f.getKey(), f.getValue().asText()));
        return new Entry(n.get("index").asInt(), n.get("experiment").asText(), n.get("runId").asText(), params);
    }
}
