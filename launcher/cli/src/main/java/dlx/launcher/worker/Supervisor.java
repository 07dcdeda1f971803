package dlx.launcher.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.api.Device;
import dlx.api.Params;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.store.ResultStore;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.run.RunPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs experiments in a worker JVM and survives it. One worker serves a whole batch; when it dies
 * (exit, halt, crash, kill -9), or a run passes its time limit (the worker is then killed), the
 * run's {@code failed} result is written here ({@link FailedRuns}) and the next run gets a fresh
 * worker. A cancel (Ctrl-C, SIGTERM) is sent to the worker, which ends the run {@code cancelled};
 * a worker that does not answer within {@link #CANCEL_GRACE} is killed and the run recorded
 * {@code cancelled} here. The worker's meters are mirrored into the {@link MeterRelay}.
 */
public final class Supervisor implements AutoCloseable {
    public static final Duration CANCEL_GRACE = Duration.ofSeconds(10);
    private static final Duration START_LIMIT = Duration.ofMinutes(5);
    private static final JsonNode DISCONNECTED = Channel.message("disconnected");
    private final Path plugins;
    private final MeterRelay relay;
    private final Consumer<String> log;
    private final Path crashDir;
    private volatile Worker worker;
    private volatile long cancelledAt;

    public Supervisor(Path plugins, MeterRelay relay, Consumer<String> log) {
        this.plugins = plugins.toAbsolutePath();
        this.relay = relay;
        this.log = log;
        try {
            this.crashDir = Files.createTempDirectory("dlx-worker-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the worker's crash reports", e);
        }
    }

    /** A started worker: its process, its channel and the messages it sent. */
    private static final class Worker {
        final Process process;
        final Channel channel;
        final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();

        Worker(Process process, Channel channel) {
            this.process = process;
            this.channel = channel;
        }
    }

    /** Runs one planned run in the worker (started when there is none); always returns its result. */
    public ExperimentResult run(RunPlan.PlannedRun run, Path outRoot, Device device, boolean rerun, Optional<Duration> limit) {
        Catalog.Entry entry = run.entry();
        long start = System.nanoTime();
        Worker w;
        try {
            w = worker();
        } catch (IOException e) {
            Status status = cancelledAt != 0 ? Status.CANCELLED : Status.FAILED;
            return recorded(run, outRoot, status, "the worker JVM did not start: " + e.getMessage(), start, null);
        }
        ObjectNode message = Channel.message(Protocol.RUN);
        message.put("experiment", entry.id());
        message.set("params", Channel.JSON.valueToTree(rawParams(run.params())));
        message.put("profile", run.params().profile().id());
        message.put("out", outRoot.toAbsolutePath().toString());
        message.put("device", device.id());
        message.put("rerun", rerun);
        try {
            w.channel.send(message);
            if (cancelledAt != 0) {
                w.channel.send(Channel.message(Protocol.CANCEL));
            }
        } catch (IOException e) {
            return died(w, run, outRoot, start);
        }
        long sent = System.nanoTime(); // the limit is the run's: a worker's start does not count
        long deadline = limit.map(d -> sent + d.toNanos()).orElse(Long.MAX_VALUE);
        long goneSince = 0;
        while (true) {
            JsonNode m;
            try {
                m = w.inbox.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                m = null;
            }
            if (m != null) {
                switch (m.path("type").asText()) {
                    case Protocol.METERS -> relay.apply(m);
                    case Protocol.FINISHED -> {
                        if (m.has("storeError")) {
                            log.accept("dlx: " + m.path("storeError").asText());
                        }
                        return ResultStore.fromJson(m.path("result"));
                    }
                    case "disconnected" -> {
                        return died(w, run, outRoot, start);
                    }
                    default -> { }
                }
                continue;
            }
            long now = System.nanoTime();
            if (!w.process.isAlive()) {
                // its sockets close with it; allow the last messages to arrive
                goneSince = goneSince == 0 ? now : goneSince;
                if (now - goneSince > TimeUnit.SECONDS.toNanos(3)) {
                    return died(w, run, outRoot, start);
                }
            }
            if (now > deadline) {
                kill(w);
                String reason = "timed out after " + TimeLimits.format(limit.orElseThrow())
                        + " (the run's time limit; --timeout changes it); the worker JVM was stopped";
                return recorded(run, outRoot, Status.FAILED, reason, start, null);
            }
            long cancel = cancelledAt;
            if (cancel != 0 && now - cancel > CANCEL_GRACE.toNanos()) {
                kill(w);
                String reason = "cancelled (Ctrl-C or SIGTERM); the worker did not stop within " + CANCEL_GRACE.toSeconds()
                        + " s and was stopped; the same command resumes it";
                return recorded(run, outRoot, Status.CANCELLED, reason, start, null);
            }
        }
    }

    /** Asks the current run to stop (from a shutdown hook: returns at once). */
    public void cancel() {
        cancelledAt = System.nanoTime();
        Worker w = worker;
        if (w != null) {
            try {
                w.channel.send(Channel.message(Protocol.CANCEL));
            } catch (IOException ignored) {
                // a dead worker is noticed by the run loop
            }
        }
    }

    /** Lets the worker go (bye, then a kill after a grace period) and forgets its process meters. */
    @Override
    public void close() {
        Worker w = worker;
        worker = null;
        if (w != null) {
            try {
                w.channel.send(Channel.message(Protocol.BYE));
                if (!w.process.waitFor(CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(w);
                }
            } catch (IOException ignored) {
                kill(w);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill(w);
            }
            w.channel.close();
            relay.workerEnded();
        }
        try (var files = Files.list(crashDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(crashDir);
        } catch (IOException ignored) {
            // a temp folder left behind
        }
    }

    private ExperimentResult died(Worker w, RunPlan.PlannedRun run, Path outRoot, long start) {
        int code = waitForExit(w);
        Path report = crashDir.resolve("hs_err_pid" + w.process.pid() + ".log");
        String reason = "the worker JVM (pid " + w.process.pid() + ") " + WorkerExit.describe(code, report);
        forget(w);
        if (cancelledAt != 0) { // a Ctrl-C reaches the worker too: it may end before it could report
            return recorded(run, outRoot, Status.CANCELLED, "cancelled (Ctrl-C or SIGTERM); " + reason
                    + "; the same command resumes it", start, report);
        }
        return recorded(run, outRoot, Status.FAILED, reason, start, report);
    }

    private ExperimentResult recorded(RunPlan.PlannedRun run, Path outRoot, Status status, String reason, long start, Path report) {
        double secs = seconds(start);
        String id = run.entry().id();
        log.accept("[" + id + "] " + status.id() + ": " + reason);
        ExperimentResult r = FailedRuns.record(run.entry(), run.params(), outRoot, status, reason, secs, report, log);
        relay.countRun(id, status.id(), secs);
        return r;
    }

    private int waitForExit(Worker w) {
        try {
            if (!w.process.waitFor(10, TimeUnit.SECONDS)) {
                kill(w);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(w);
        }
        return w.process.isAlive() ? -1 : w.process.exitValue();
    }

    /** Kills the worker and anything it started; then it is gone. */
    private void kill(Worker w) {
        w.process.descendants().forEach(ProcessHandle::destroyForcibly);
        w.process.destroyForcibly();
        try {
            w.process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forget(w);
    }

    private void forget(Worker w) {
        w.channel.close();
        if (worker == w) {
            worker = null;
            relay.workerEnded();
        }
    }

    private Worker worker() throws IOException {
        Worker w = worker;
        if (w != null && w.process.isAlive()) {
            return w;
        }
        if (w != null) {
            forget(w);
        }
        worker = start();
        return worker;
    }

    /** Starts a worker JVM and waits until it has discovered the plugins and connected. */
    private Worker start() throws IOException {
        String token = UUID.randomUUID().toString();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> cmd = WorkerCommand.of(crashDir, WorkerMain.class.getName(),
                    List.of(Integer.toString(server.getLocalPort()), token, plugins.toString()));
            Process process = new ProcessBuilder(cmd).inheritIO().redirectError(ProcessBuilder.Redirect.PIPE).start();
            StandardError.pump(process);
            server.setSoTimeout(250);
            long deadline = System.nanoTime() + START_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (SocketTimeoutException e) {
                    if (!process.isAlive()) {
                        throw new IOException("it exited with code " + process.exitValue() + " before it was ready");
                    }
                    continue;
                }
                Channel channel = new Channel(socket);
                socket.setSoTimeout((int) START_LIMIT.toMillis());
                JsonNode ready = channel.receive();
                if (ready == null || !token.equals(ready.path("token").asText())) {
                    channel.close(); // not our worker
                    continue;
                }
                socket.setSoTimeout(0);
                Worker w = new Worker(process, channel);
                Thread reader = new Thread(() -> pump(w), "dlx-supervisor-" + process.pid());
                reader.setDaemon(true);
                reader.start();
                return w;
            }
            process.destroyForcibly();
            throw new IOException("it did not connect within " + START_LIMIT.toMinutes() + " minutes");
        }
    }

    /** Moves the worker's messages into its inbox; then says it is gone. */
    private static void pump(Worker w) {
        try {
            for (JsonNode m = w.channel.receive(); m != null; m = w.channel.receive()) {
                w.inbox.add(m);
            }
        } catch (IOException ignored) {
            // closed
        }
        w.inbox.add(DISCONNECTED);
    }

    /** Validated values as the text they parse back from (lists comma-separated; unset values left to their defaults). */
    static Map<String, String> rawParams(Params params) {
        return params.asMap().entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> text(e.getValue()), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(Supervisor::text).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
