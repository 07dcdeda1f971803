package dlx.launcher.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunFolder;
import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each index of a sweep stands, from its run folder and from the scheduler's queue:
 * <ul>
 *   <li>{@code done}: the result is ok (or skipped, with the reason);</li>
 *   <li>{@code running}: the queue says so, or the run's lock is held;</li>
 *   <li>{@code pending}: queued (also after a requeue), with Slurm's reason;</li>
 *   <li>{@code failed}: the result failed or was cancelled (the error's first line), or the run was interrupted
 *       (a lock whose process is gone, or a folder without result that nothing runs);</li>
 *   <li>{@code missing}: no run folder and nothing queued.</li>
 * </ul>
 * A done result wins over the queue; the queue wins over a failed result (a requeued task).
 * Accounting ({@code sacct}) is not needed: finished tasks are read from their results.
 */
public final class SweepStatus {
    public static final List<String> STATES = List.of("done", "running", "pending", "failed", "missing");

    public record IndexStatus(int index, String experiment, String runId, String state, String detail) {
        public boolean done() {
            return state.equals("done");
        }

        /** Queued or running: a resubmission leaves it alone. */
        public boolean active() {
            return state.equals("running") || state.equals("pending");
        }
    }

    private SweepStatus() { }

    /** Every index of the plan, in order. */
    public static List<IndexStatus> of(SweepPlan plan, Path results, Map<Integer, String> queued) {
        List<IndexStatus> out = new ArrayList<>();
        for (SweepPlan.Entry e : plan.entries()) {
            out.add(of(e, results.resolve(e.experiment()).resolve(e.runId()), queued.get(e.index())));
        }
        return out;
    }

    static IndexStatus of(SweepPlan.Entry e, Path dir, String queue) {
        RunRecord r = Files.isDirectory(dir) ? RunIndex.read(dir) : null;
        String status = r == null ? null : r.status();
        if ("ok".equals(status)) {
            return new IndexStatus(e.index(), e.experiment(), e.runId(), "done", "");
        }
        if ("skipped".equals(status)) {
            return new IndexStatus(e.index(), e.experiment(), e.runId(), "done", "skipped: " + firstLine(r.error()));
        }
        if (queue != null) {
            boolean running = queue.startsWith("RUNNING") || queue.startsWith("COMPLETING") || queue.startsWith("CONFIGURING");
            return new IndexStatus(e.index(), e.experiment(), e.runId(), running ? "running" : "pending", queue);
        }
        if (r == null) {
            return new IndexStatus(e.index(), e.experiment(), e.runId(), "missing", "");
        }
        if ("failed".equals(status) || "cancelled".equals(status)) {
            return new IndexStatus(e.index(), e.experiment(), e.runId(), "failed", firstLine(r.error()));
        }
        if ("running".equals(status)) {
            String holder = liveHolder(dir.resolve(RunFolder.LOCK));
            return holder != null ? new IndexStatus(e.index(), e.experiment(), e.runId(), "running", holder)
                    : new IndexStatus(e.index(), e.experiment(), e.runId(), "failed", "interrupted: the process holding its lock is gone");
        }
        return new IndexStatus(e.index(), e.experiment(), e.runId(), "failed", "interrupted: " + firstLine(r.problem()));
    }

    /** Queue states by plan index, from every Slurm submission recorded in the sweep's folder. */
    public static Map<Integer, String> slurmQueue(SweepPlan plan) {
        Map<String, Integer> byTask = new LinkedHashMap<>();
        Set<String> jobs = new LinkedHashSet<>();
        for (Submissions.Submission s : Submissions.read(plan.folder())) {
            if (!s.launcher().equals("slurm")) {
                continue;
            }
            if (s.jobId() != null) {
                jobs.add(s.jobId());
                s.indices().forEach(i -> byTask.put(s.jobId() + "_" + i, i));
            }
            if (s.fitJobId() != null && s.fitIndex() != null) {
                jobs.add(s.fitJobId());
                byTask.put(s.fitJobId(), s.fitIndex());
            }
        }
        Map<Integer, String> out = new LinkedHashMap<>();
        // a later submission's state of an index wins over an earlier one's
        Slurm.queue(jobs).forEach((task, state) -> {
            Integer index = byTask.get(task);
            if (index != null) {
                out.put(index, state + " job " + task);
            }
        });
        return out;
    }

    /** "host pid since" of a lock whose process may be alive (on another host it cannot be checked). */
    private static String liveHolder(Path lock) {
        try {
            JsonNode n = ResultStore.json().readTree(Files.readString(lock));
            String host = n.path("host").asText("?");
            long pid = n.path("pid").asLong(-1);
            if (host.equals(InetAddress.getLocalHost().getHostName()) && ProcessHandle.of(pid).isEmpty()) {
                return null;
            }
            return "pid " + pid + " on " + host + " since " + n.path("since").asText("?");
        } catch (IOException | RuntimeException e) {
            return "lock held";
        }
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }

    /** One line per index (index, run id, experiment, state, detail), then the counts. */
    public static void print(List<IndexStatus> all, java.io.PrintWriter out) {
        out.printf("%-6s %-12s %-28s %-8s %s%n", "INDEX", "RUN", "EXPERIMENT", "STATE", "DETAIL");
        for (IndexStatus s : all) {
            out.printf("%-6d %-12s %-28s %-8s %s%n", s.index(), s.runId(), s.experiment(), s.state(), s.detail());
        }
        out.println(summary(all));
        out.flush();
    }

    /** {@code 4 done, 1 failed} in the order of {@link #STATES}. */
    public static String summary(List<IndexStatus> all) {
        List<String> parts = new ArrayList<>();
        for (String state : STATES) {
            long n = all.stream().filter(s -> s.state().equals(state)).count();
            if (n > 0) {
                parts.add(n + " " + state);
            }
        }
        return String.join(", ", parts);
    }
}
