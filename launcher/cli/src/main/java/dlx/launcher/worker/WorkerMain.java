package dlx.launcher.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dlx.api.Device;
import dlx.api.Params;
import dlx.api.Profile;
import dlx.engine.ExperimentResult;
import dlx.engine.ExperimentRunner;
import dlx.engine.RunSettings;
import dlx.engine.config.PlatformConfig;
import dlx.engine.meters.ProgressBars;
import dlx.engine.store.ResultStore;
import dlx.launcher.LauncherModule;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.catalog.Catalogs;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker JVM: discovers the plugins, connects to its supervisor and runs the experiments the
 * supervisor sends, one at a time, with the run engine, answering with each run's result and
 * snapshots of its meters. Its standard output and error are the supervisor's (progress bars,
 * log lines). SIGINT/SIGTERM cancel the current run; the worker then reports it and exits.
 * Arguments: the supervisor's port, the token it expects, the plugins folder.
 */
public final class WorkerMain {
    private static final Object END = new Object();

    private WorkerMain() { }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String token = args[1];
        Path plugins = Path.of(args[2]);
        PrintStream console = System.out; // captured before a run's log tees System.out
        AtomicBoolean cancel = new AtomicBoolean();
        AtomicInteger signalled = new AtomicInteger();
        BlockingQueue<Object> work = new LinkedBlockingQueue<>();
        AtomicBoolean running = new AtomicBoolean();
        Signals.onInterrupt((number) -> { // first thing: a Ctrl-C during discovery must not kill the JVM silently
            cancel.set(true);
            signalled.set(number);
            if (!running.get()) {
                work.add(END);
            }
        });
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
        PlatformConfig config = PlatformConfig.fromSystem();
        Injector injector = Guice.createInjector(new LauncherModule(config));
        // Problems were already reported by the supervisor's own discovery: no second warning.
        Catalog catalog = injector.getInstance(Catalogs.class).open(plugins, new PrintWriter(Writer.nullWriter()));
        PrometheusMeterRegistry registry = injector.getInstance(PrometheusMeterRegistry.class);

        Channel channel = new Channel(new Socket(InetAddress.getLoopbackAddress(), port));
        AtomicBoolean leaving = new AtomicBoolean();
        Thread reader = new Thread(() -> read(channel, work, cancel, leaving), "dlx-worker-control");
        reader.setDaemon(true);
        reader.start();
        ObjectNode ready = Channel.message(Protocol.READY);
        ready.put("pid", ProcessHandle.current().pid());
        ready.put("token", token);
        channel.send(ready);
        ScheduledExecutorService meters = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dlx-worker-meters");
            t.setDaemon(true);
            return t;
        });
        meters.scheduleWithFixedDelay(() -> sendQuietly(channel, MeterSnapshots.of(registry)), 1, 1, TimeUnit.SECONDS);

        ProgressBars bars = ProgressBars.forConsole(registry);
        for (Object next = work.take(); next != END; next = work.take()) {
            running.set(true);
            run((JsonNode) next, catalog, config, registry, bars, console, cancel, channel);
            running.set(false);
            if (signalled.get() != 0) {
                break;
            }
        }
        meters.shutdownNow();
        leaving.set(true);
        channel.send(Channel.message(Protocol.GOODBYE).put("signal", signalled.get()));
        channel.close();
        console.flush();
        System.exit(signalled.get() == 0 ? 0 : 128 + signalled.get());
    }

    private static void run(JsonNode message, Catalog catalog, PlatformConfig config, PrometheusMeterRegistry registry,
                            ProgressBars bars, PrintStream console, AtomicBoolean cancel, Channel channel) throws Exception {
        String id = message.path("experiment").asText();
        Catalog.Entry entry = catalog.all().stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the worker has no experiment '" + id + "'"));
        Map<String, String> raw = new LinkedHashMap<>();
        message.path("params").fields().forEachRemaining(e -> raw.put(e.getKey(), e.getValue().asText()));
        Params params = ExperimentRunner.validate(entry.experiment().spec(), raw,
                Profile.parse(message.path("profile").asText()));
        RunSettings settings = new RunSettings(Path.of(message.path("out").asText()), registry, config.dataLocations(),
                Device.parse(message.path("device").asText()), bars, line -> {
                    console.println(line);
                    console.flush();
                }, cancel, message.path("rerun").asBoolean());
        ExperimentRunner runner = new ExperimentRunner(settings);
        channel.send(Channel.message(Protocol.STARTED).put("runId", runner.folder(entry.experiment(), params).runId()));
        ObjectNode finished = Channel.message(Protocol.FINISHED);
        ExperimentResult result;
        try {
            result = runner.run(entry.experiment(), entry.plugin().name(), entry.plugin().plugin().version(), params);
        } catch (ExperimentRunner.ResultStoreException e) {
            result = e.result();
            finished.put("storeError", e.getMessage());
        }
        finished.set("result", ResultStore.toJson(result));
        channel.send(MeterSnapshots.of(registry)); // final values before the result
        channel.send(finished);
    }

    /** Runs and cancels arrive here; a closed channel means the supervisor is gone: stop at once. */
    private static void read(Channel channel, BlockingQueue<Object> work, AtomicBoolean cancel, AtomicBoolean leaving) {
        try {
            for (JsonNode m = channel.receive(); m != null; m = channel.receive()) {
                switch (m.path("type").asText()) {
                    case Protocol.RUN -> work.add(m);
                    case Protocol.CANCEL -> cancel.set(true);
                    case Protocol.BYE -> work.add(END);
                    default -> { }
                }
            }
        } catch (java.io.IOException ignored) {
            // treated as closed
        }
        if (!leaving.get()) {
            Runtime.getRuntime().halt(3);
        }
    }

    private static void sendQuietly(Channel channel, JsonNode message) {
        try {
            channel.send(message);
        } catch (java.io.IOException | RuntimeException ignored) {
            // the reader notices a closed channel
        }
    }
}
