package dlx.launcher.sweep;

import dlx.api.Device;
import dlx.launcher.UsageException;
import dlx.launcher.run.Orchestrator;
import dlx.launcher.run.RunPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A sweep on this machine: in this process one run after the other (the orchestrator's runs:
 * cached runs are not run again, Ctrl-C cancels), or in {@code jobs} child processes, each
 * {@code dlx run --sweep plan.json --index i} with its output in
 * {@code <sweep folder>/logs/local-<i>.out}. A fanned-out study's fit runs after its cells, only
 * when every cell is done.
 */
public final class LocalSweep {
    private LocalSweep() { }

    /** Runs {@code indices} in this process; returns the exit code (0 ok, 1 a run failed or was cancelled). */
    public static int inProcess(SweepRequest.Resolved r, List<Integer> indices, Orchestrator orchestrator,
                                Device device, boolean rerun, PrintWriter out, PrintWriter err, Orchestrator.Listener listener) {
        SweepPlan plan = r.plan();
        List<Integer> cells = indices.stream().filter(i -> !plan.isFit(i)).toList();
        boolean fit = indices.stream().anyMatch(plan::isFit);
        List<RunPlan.PlannedRun> cellRuns = r.runs(cells);
        List<RunPlan.PlannedRun> fitRuns = fit ? r.runs(List.of(plan.fit().index())) : List.of();
        if (fit && cells.isEmpty()) {
            requireCellsDone(plan, r.results()); // only the fit was asked for: nothing runs unless it can
        }
        int exit = 0;
        if (!cellRuns.isEmpty()) {
            Orchestrator.Outcome o = orchestrator.run(new RunPlan(cellRuns), r.results(), device, rerun, out, err, listener);
            exit = o.exitCode();
            if (o.cancelled()) {
                return exit;
            }
        }
        if (fit) {
            if (!cells.isEmpty()) {
                String notDone = notDone(plan, r.results());
                if (!notDone.isEmpty()) {
                    err.println("dlx: the fit (index " + plan.fit().index() + ") is not run: cells not done: " + notDone);
                    err.flush();
                    return 1;
                }
            }
            exit = Math.max(exit, orchestrator.run(new RunPlan(fitRuns), r.results(), device, rerun, out, err, listener)
                    .exitCode());
        }
        return exit;
    }

    /**
     * Runs {@code indices} in at most {@code jobs} child processes of {@code dlx}; done indices are
     * left out unless {@code rerun}. Returns the highest exit code of the children.
     * @param childArgs options every child gets after {@code --index i} ({@code --device}, {@code --rerun}, ...)
     */
    public static int children(SweepRequest.Resolved r, List<Integer> indices, int jobs, Path dlx, List<String> childArgs,
                               boolean rerun, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        SweepPlan plan = r.plan();
        Path logs = plan.folder().resolve("logs");
        Files.createDirectories(logs);
        Set<Process> live = ConcurrentHashMap.newKeySet();
        Thread hook = new Thread(() -> live.forEach(Process::destroy), "dlx-sweep-children"); // SIGTERM: each child cancels its run
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<Integer> cells = indices.stream().filter(i -> !plan.isFit(i)).filter(i -> rerun || !done(plan, r.results(), i))
                    .toList();
            boolean fit = indices.stream().anyMatch(plan::isFit);
            if (fit && cells.isEmpty()) {
                requireCellsDone(plan, r.results());
            }
            out.println("dlx: sweep " + plan.id() + ": " + cells.size() + " runs in " + Math.min(jobs, Math.max(1, cells.size()))
                    + " processes; logs in " + logs);
            out.flush();
            int exit = runAll(plan, cells, jobs, dlx, childArgs, r.results(), logs, live, out);
            if (fit) {
                String notDone = notDone(plan, r.results());
                if (notDone.isEmpty()) {
                    exit = Math.max(exit, runAll(plan, List.of(plan.fit().index()), 1, dlx, childArgs, r.results(), logs, live, out));
                } else {
                    err.println("dlx: the fit (index " + plan.fit().index() + ") is not run: cells not done: " + notDone);
                    exit = Math.max(exit, 1);
                }
            }
            out.println();
            SweepStatus.print(SweepStatus.of(plan, r.results(), java.util.Map.of()), out);
            return exit;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down: the hook stops the children
            }
        }
    }

    private static int runAll(SweepPlan plan, List<Integer> indices, int jobs, Path dlx, List<String> childArgs, Path results,
                              Path logs, Set<Process> live, PrintWriter out) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, indices.size())));
        List<Future<Integer>> exits = new ArrayList<>();
        for (int index : indices) {
            exits.add(pool.submit(() -> child(plan, index, dlx, childArgs, results, logs, live, out)));
        }
        pool.shutdown();
        int exit = 0;
        for (Future<Integer> f : exits) {
            try {
                exit = Math.max(exit, f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                exit = Math.max(exit, 1);
            }
        }
        pool.awaitTermination(1, TimeUnit.MINUTES);
        return exit;
    }

    private static int child(SweepPlan plan, int index, Path dlx, List<String> childArgs, Path results, Path logs,
                             Set<Process> live, PrintWriter out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(dlx.toString(), "run", "--sweep", plan.planFile().toString(), "--index",
                Integer.toString(index), "--out", results.toString()));
        cmd.addAll(childArgs);
        Path log = logs.resolve("local-" + index + ".out");
        SweepPlan.Entry e = plan.entry(index);
        long start = System.nanoTime();
        say(out, "[" + index + "] " + e.experiment() + " run " + e.runId() + " started; log " + log);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        live.add(p);
        try {
            int exit = p.waitFor();
            say(out, String.format("[%d] %s run %s exit %d (%.1f s)", index, e.experiment(), e.runId(), exit,
                    (System.nanoTime() - start) / 1e9));
            return exit;
        } finally {
            live.remove(p);
        }
    }

    private static void say(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static boolean done(SweepPlan plan, Path results, int index) {
        SweepPlan.Entry e = plan.entry(index);
        return SweepStatus.of(e, results.resolve(e.experiment()).resolve(e.runId()), null).done();
    }

    /** The cells that are not done, as {@code 2 (failed), 5 (missing)}; empty when all are. */
    static String notDone(SweepPlan plan, Path results) {
        List<String> out = new ArrayList<>();
        for (SweepStatus.IndexStatus s : SweepStatus.of(plan, results, java.util.Map.of())) {
            if (!plan.isFit(s.index()) && !s.done()) {
                out.add(s.index() + " (" + s.state() + ")");
            }
        }
        return out.size() <= 10 ? String.join(", ", out) : String.join(", ", out.subList(0, 10)) + " and " + (out.size() - 10)
                + " more";
    }

    private static void requireCellsDone(SweepPlan plan, Path results) {
        String notDone = notDone(plan, results);
        if (!notDone.isEmpty()) {
            throw new UsageException("the fit (index " + plan.fit().index() + ") of sweep " + plan.id()
                    + " needs every cell done; not done: " + notDone + "; dlx sweep status " + plan.folder() + " shows them");
        }
    }
}
