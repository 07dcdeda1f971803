package dlx.launcher.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.engine.store.ResultStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <sweep folder>/submissions.json}: every submission of the sweep, oldest first — the
 * launcher, the scheduler's job ids, the indices submitted and the command — so that
 * {@code dlx sweep status} knows which jobs to ask the scheduler about.
 */
public final class Submissions {
    public static final String FILE = "submissions.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One submission: a Slurm array (and the dependent fit job), local child processes, or a manifest. */
    public record Submission(String launcher, String jobId, List<Integer> indices, String fitJobId, Integer fitIndex,
                             String submitted, String command) {
        public Submission {
            indices = List.copyOf(indices);
        }
    }

    private Submissions() { }

    public static List<Submission> read(Path sweepFolder) {
        Path file = sweepFolder.resolve(FILE);
        List<Submission> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (JsonNode n : JSON.readTree(file.toFile())) {
                List<Integer> indices = new ArrayList<>();
                n.path("indices").forEach(i -> indices.add(i.asInt()));
                out.add(new Submission(n.path("launcher").asText(), text(n, "jobId"), indices, text(n, "fitJobId"),
                        n.hasNonNull("fitIndex") ? n.get("fitIndex").asInt() : null, text(n, "submitted"), text(n, "command")));
            }
        } catch (IOException | RuntimeException e) {
            // A damaged record loses the queue's view, never the results: status still reads those.
            System.err.println("dlx: warning: cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }

    /** Appends a submission (the file is rewritten atomically). */
    public static void append(Path sweepFolder, Submission s) throws IOException {
        ArrayNode all = JSON.createArrayNode();
        for (Submission old : read(sweepFolder)) {
            all.add(json(old));
        }
        all.add(json(s));
        Files.createDirectories(sweepFolder);
        ResultStore.writeAtomically(sweepFolder.resolve(FILE), all);
    }

    public static Submission now(String launcher, String jobId, List<Integer> indices, String fitJobId, Integer fitIndex,
                                 String command) {
        return new Submission(launcher, jobId, indices, fitJobId, fitIndex, Instant.now().toString(), command);
    }

    private static ObjectNode json(Submission s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("launcher", s.launcher());
        n.put("jobId", s.jobId());
        ArrayNode idx = n.putArray("indices");
        s.indices().forEach(idx::add);
        if (s.fitJobId() != null) {
            n.put("fitJobId", s.fitJobId());
        }
        if (s.fitIndex() != null) {
            n.put("fitIndex", s.fitIndex());
        }
        n.put("submitted", s.submitted());
        n.put("command", s.command());
        return n;
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : null;
    }
}
