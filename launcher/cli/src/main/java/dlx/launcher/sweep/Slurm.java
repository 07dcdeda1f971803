package dlx.launcher.sweep;

import dlx.launcher.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A sweep as one Slurm job array: a batch script in the sweep's folder, {@code sbatch
 * --array=<indices>%P}, and for a fanned-out study a fit job that depends on the array
 * ({@code --dependency=afterok}). Each task runs {@code dlx run --sweep plan.json --index
 * $SLURM_ARRAY_TASK_ID}. Before the time limit (or a pre-emption) Slurm sends the script
 * {@code USR1} ({@code --signal=B:USR1@S}): the script stops dlx with {@code SIGTERM} (the run is
 * cancelled and keeps its last checkpoint) and requeues its own task ({@code scontrol requeue
 * <array>_<task>}: a bare task job id can be the array's and would requeue every task), at most
 * {@code maxRequeues} times; the next life resumes from the checkpoint, appending to the same
 * log ({@code --open-mode=append}).
 */
public final class Slurm {
    public static final String SCRIPT = "sweep.sbatch";

    /** What the user may ask of Slurm; null or empty for "the cluster's default". */
    public record Options(String partition, String time, Integer cpus, String mem, String gres, Integer parallelism,
                          String account, List<String> extra, int signalSeconds, int maxRequeues) {
        public Options {
            extra = List.copyOf(extra);
            if (parallelism != null && parallelism < 1) {
                throw new UsageException("--parallelism must be >= 1, got " + parallelism);
            }
            if (cpus != null && cpus < 1) {
                throw new UsageException("--cpus must be >= 1, got " + cpus);
            }
            if (signalSeconds < 0 || signalSeconds > 65535) {
                throw new UsageException("--signal-seconds must be in [0, 65535], got " + signalSeconds);
            }
            if (maxRequeues < 0) {
                throw new UsageException("--max-requeues must be >= 0, got " + maxRequeues);
            }
        }
    }

    /** The job ids of one submission; {@code fitJobId} null without a fit. */
    public record Submitted(String arrayJobId, String fitJobId, Path script, String command) { }

    private Slurm() { }

    /**
     * Submits {@code indices} of {@code plan} as one array and, when {@code withFit}, the fit job
     * after {@code dependsOn} (the array just submitted, else an earlier job still running the
     * cells, else none). Nothing is left submitted when a step fails.
     * @param task the dlx command line of a task, without {@code --index}
     * @throws UsageException when {@code sbatch} is missing or refuses (its message shown)
     */
    public static Submitted submit(SweepPlan plan, List<Integer> indices, boolean withFit, String dependsOn, Options o,
                                   List<String> task, PrintWriter err) throws IOException {
        Path sbatch = requireSbatch();
        Path script = plan.folder().resolve(SCRIPT);
        boolean scriptExisted = Files.exists(script);
        Files.createDirectories(plan.folder().resolve("logs"));
        Files.writeString(script, script(plan, o, task));
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX: sbatch reads the script anyway
        }
        String arrayJob = null;
        List<String> commands = new ArrayList<>();
        if (!indices.isEmpty()) {
            List<String> cmd = List.of(sbatch.toString(), "--parsable", "--array=" + arraySpec(indices, o.parallelism()),
                    script.toString());
            try {
                arrayJob = jobId(run(cmd, "the array"));
            } catch (UsageException e) {
                if (!scriptExisted) {
                    Files.deleteIfExists(script); // nothing was submitted: leave no script behind
                }
                throw e;
            }
            commands.add(String.join(" ", cmd));
        }
        String fitJob = null;
        if (withFit) {
            String after = arrayJob != null ? arrayJob : dependsOn;
            List<String> cmd = new ArrayList<>(List.of(sbatch.toString(), "--parsable"));
            if (after != null) {
                cmd.add("--dependency=afterok:" + after);
                cmd.add("--kill-on-invalid-dep=yes");
            }
            cmd.addAll(List.of("--job-name=dlx-fit-" + plan.id(), "--output=" + plan.folder().resolve("logs/fit-%j.out"),
                    script.toString(), Integer.toString(plan.fit().index())));
            try {
                fitJob = jobId(run(cmd, "the fit job"));
            } catch (UsageException e) {
                if (arrayJob != null) {
                    cancel(arrayJob, err);
                    throw new UsageException(e.getMessage() + "; array job " + arrayJob + " was cancelled, nothing is queued");
                }
                throw e;
            }
            commands.add(String.join(" ", cmd));
        }
        return new Submitted(arrayJob, fitJob, script, String.join(" && ", commands));
    }

    /** sbatch on PATH, checked before anything of a submission is written. */
    public static Path requireSbatch() {
        return tool("sbatch").orElseThrow(() -> new UsageException(
                "sbatch not found on PATH: submit from a Slurm login node, or run the sweep here with --launcher local"));
    }

    /** The batch script: #SBATCH options, the warning trap with requeue, one dlx run. */
    static String script(SweepPlan plan, Options o, List<String> task) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# Written by `dlx sweep submit` for sweep ").append(plan.id()).append(" (").append(plan.size())
                .append(" runs). An array task runs\n# `dlx run --sweep plan.json --index $SLURM_ARRAY_TASK_ID`;")
                .append(" the fit of a fanned-out study gets its index as $1.\n");
        s.append("#SBATCH --job-name=dlx-").append(jobName(plan)).append('\n');
        s.append("#SBATCH --output=").append(plan.folder().resolve("logs")).append("/%A_%a.out\n");
        s.append("#SBATCH --open-mode=append\n");
        s.append("#SBATCH --requeue\n");
        if (o.signalSeconds() > 0) {
            s.append("#SBATCH --signal=B:USR1@").append(o.signalSeconds()).append('\n');
        }
        option(s, "partition", o.partition());
        option(s, "time", o.time());
        option(s, "cpus-per-task", o.cpus() == null ? null : o.cpus().toString());
        option(s, "mem", o.mem());
        option(s, "gres", o.gres());
        option(s, "account", o.account());
        for (String extra : o.extra()) {
            s.append("#SBATCH ").append(extra).append('\n');
        }
        s.append("""

                index=${SLURM_ARRAY_TASK_ID:-$1}
                if [ -n "${SLURM_ARRAY_JOB_ID:-}" ]; then self=${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}; else self=$SLURM_JOB_ID; fi
                restarts=${SLURM_RESTART_COUNT:-0}
                """);
        s.append("max_requeues=").append(o.maxRequeues()).append('\n');
        s.append("""
                echo "dlx: index $index, job $self on $(hostname), start $((restarts + 1)), $(date -u +%Y-%m-%dT%H:%M:%SZ)"

                # USR1 comes before the time limit or a pre-emption: stop dlx (SIGTERM cancels the run, which keeps
                # its last checkpoint), then requeue this task; its next start resumes from the checkpoint.
                requeue=0
                warned() {
                  if [ "$restarts" -lt "$max_requeues" ]; then
                    echo "dlx: USR1 at $(date -u +%H:%M:%SZ): stopping the run, then requeueing $self ($((restarts + 1)) of $max_requeues)"
                    requeue=1
                    kill -TERM "$child" 2>/dev/null
                  else
                    echo "dlx: USR1 at $(date -u +%H:%M:%SZ) after $restarts requeues (--max-requeues $max_requeues): the run goes on"
                  fi
                }
                trap warned USR1

                """);
        s.append(String.join(" ", task.stream().map(Slurm::quote).toList())).append(" --index \"$index\" &\n");
        s.append("""
                child=$!
                # a trapped signal interrupts wait: wait again until dlx has ended
                while :; do
                  wait "$child"
                  rc=$?
                  kill -0 "$child" 2>/dev/null || break
                done
                if [ "$requeue" = 1 ]; then
                  scontrol requeue "$self" && exit 0
                  echo "dlx: scontrol requeue $self failed"
                fi
                exit "$rc"
                """);
        return s.toString();
    }

    private static void option(StringBuilder s, String name, String value) {
        if (value != null && !value.isBlank()) {
            s.append("#SBATCH --").append(name).append('=').append(value.trim()).append('\n');
        }
    }

    private static String jobName(SweepPlan plan) {
        String base = plan.name() != null ? plan.name() : plan.runs().isEmpty() ? "sweep" : plan.runs().get(0).experiment();
        return base.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + plan.id();
    }

    /** Sorted indices as ranges: {@code 0-3,5,7-9}, then {@code %P}. */
    static String arraySpec(List<Integer> indices, Integer parallelism) {
        List<Integer> sorted = indices.stream().distinct().sorted().toList();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            int start = sorted.get(i);
            int end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
                end = sorted.get(++i);
            }
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(start);
            if (end > start) {
                s.append('-').append(end);
            }
        }
        if (parallelism != null) {
            s.append('%').append(parallelism);
        }
        return s.toString();
    }

    /** A POSIX shell word. */
    static String quote(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Queue states of the given jobs' tasks, by {@code <job>_<task>} for array tasks and the job id
     * otherwise: {@code RUNNING}, {@code PENDING (BeginTime)}, ... Empty when squeue is missing;
     * jobs Slurm has forgotten are simply absent.
     */
    public static Map<String, String> queue(Collection<String> jobIds) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<Path> squeue = tool("squeue");
        if (squeue.isEmpty() || jobIds.isEmpty()) {
            return out;
        }
        List<List<String>> batches = new ArrayList<>(List.of(List.copyOf(jobIds)));
        for (int b = 0; b < batches.size(); b++) {
            List<String> ids = batches.get(b);
            Result r = exec(List.of(squeue.get().toString(), "--noheader", "--array", "--format=%i|%T|%r",
                    "--jobs=" + String.join(",", ids)));
            if (r.exit != 0) {
                // squeue refuses a list holding a job it has forgotten: ask for each job alone
                if (ids.size() > 1) {
                    ids.forEach(id -> batches.add(List.of(id)));
                }
                continue;
            }
            for (String line : r.out.lines().toList()) {
                String[] f = line.trim().split("\\|", 3);
                if (f.length == 3) {
                    String reason = f[2].isBlank() || f[2].equals("None") ? "" : " (" + f[2] + ")";
                    out.put(f[0], f[1] + reason);
                }
            }
        }
        return out;
    }

    static void cancel(String jobId, PrintWriter err) {
        tool("scancel").ifPresent(scancel -> {
            Result r = exec(List.of(scancel.toString(), jobId));
            if (r.exit != 0) {
                err.println("dlx: warning: scancel " + jobId + " failed: " + r.err.strip());
            }
        });
    }

    /** A command on PATH (Slurm's tools also live in /usr/sbin on Debian for the daemons). */
    static Optional<Path> tool(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String run(List<String> cmd, String what) {
        Result r = exec(cmd);
        if (r.exit != 0) {
            String msg = r.err.isBlank() ? r.out : r.err;
            throw new UsageException("sbatch refused " + what + ": " + msg.strip().replace('\n', ' '));
        }
        return r.out;
    }

    private static String jobId(String parsable) {
        String id = parsable.strip().split(";", 2)[0];
        if (!id.matches("\\d+")) {
            throw new UsageException("sbatch printed no job id: '" + parsable.strip() + "'");
        }
        return id;
    }

    record Result(int exit, String out, String err) { }

    static Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, "", cmd.get(0) + " did not answer within 60 s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            return new Result(127, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "", "interrupted");
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
