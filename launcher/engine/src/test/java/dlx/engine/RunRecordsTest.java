package dlx.engine;

import static dlx.engine.ExperimentRunnerTest.experiment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dlx.api.Experiment;
import dlx.api.Params;
import dlx.api.Profile;
import dlx.engine.config.PlatformConfig;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunFolder;
import dlx.engine.store.RunId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordsTest {
    @TempDir
    Path out;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> log = new ArrayList<>();
    private final AtomicInteger executions = new AtomicInteger();
    private final Experiment counting = experiment("t.rec", (req, rep) -> {
        executions.incrementAndGet();
        rep.metric("n", req.params().integer("n"));
        System.out.println("printed by the run");
    });

    private ExperimentRunner runner(boolean rerun) {
        return new ExperimentRunner(new RunSettings(out, registry, new PlatformConfig(Map.of(), new Properties()).dataLocations(),
                dlx.api.Device.CPU, dlx.engine.meters.ProgressBars.none(registry), log::add, new AtomicBoolean(), rerun));
    }

    private static Params params(Experiment e, String n) {
        return ExperimentRunner.validate(e.spec(), Map.of("n", n), Profile.QUICK);
    }

    @Test
    void theRunIdDigestsTheExperimentEveryParameterAndTheCode() {
        Params a = params(counting, "3");
        RunId id = ExperimentRunner.runId(counting, a);
        assertThat(id.value()).matches("[0-9a-f]{12}");
        assertThat(ExperimentRunner.runId(counting, params(counting, "3"))).isEqualTo(id);
        assertThat(ExperimentRunner.runId(counting, params(counting, "4")).value()).isNotEqualTo(id.value());
        Params seeded = ExperimentRunner.validate(counting.spec(), Map.of("n", "3", "seed", "7"), Profile.QUICK);
        assertThat(ExperimentRunner.runId(counting, seeded).value()).isNotEqualTo(id.value());
        Params full = ExperimentRunner.validate(counting.spec(), Map.of("n", "3"), Profile.FULL);
        assertThat(ExperimentRunner.runId(counting, full).value()).isNotEqualTo(id.value());
        // the canonical form is documented: experiment, sorted parameters, code digests
        assertThat(id.canonicalForm()).startsWith("dlx-run/1\nexperiment=t.rec\nparam.n=3\nparam.profile=quick\nparam.seed=42\n")
                .containsPattern("code\\.plugin=[0-9a-f]{64}\n");
        assertThat(RunId.of("x.y", a, "p", "k").value()).isNotEqualTo(RunId.of("x.y", a, "p2", "k").value());
    }

    @Test
    void eachConfigurationHasItsOwnFolderAndLatestPointsAtTheLastRun() throws Exception {
        ExperimentResult three = runner(false).run(counting, "test", params(counting, "3"));
        ExperimentResult four = runner(false).run(counting, "test", params(counting, "4"));
        assertThat(three.runId()).isNotEqualTo(four.runId());
        assertThat(out.resolve("t.rec").resolve(three.runId()).resolve("result.json")).exists();
        assertThat(out.resolve("t.rec").resolve(four.runId()).resolve("result.json")).exists();
        assertThat(RunFolder.latest(out.resolve("t.rec"))).contains(four.runId());
        assertThat(Files.isSymbolicLink(out.resolve("t.rec/latest"))).isTrue();
        assertThat(Files.readSymbolicLink(out.resolve("t.rec/latest"))).isEqualTo(Path.of(four.runId()));
        JsonNode json = ResultStore.json().readTree(out.resolve("t.rec/latest/result.json").toFile());
        assertThat(json.get("runId").asText()).isEqualTo(four.runId());
        assertThat(out.resolve("t.rec/latest/run.log")).content().contains("printed by the run").contains("run " + four.runId());
    }

    @Test
    void aRunThatFinishedOkIsCachedAndRerunKeepsTheEarlierAttempt() throws Exception {
        ExperimentResult first = runner(false).run(counting, "test", params(counting, "3"));
        ExperimentResult again = runner(false).run(counting, "test", params(counting, "3"));
        assertThat(executions).hasValue(1);
        assertThat(again.status()).isEqualTo(Status.CACHED);
        assertThat(again.metrics()).isEqualTo(first.metrics());
        assertThat(log).anyMatch(l -> l.contains("already finished ok") && l.contains(first.runId()));

        ExperimentResult rerun = runner(true).run(counting, "test", params(counting, "3"));
        assertThat(executions).hasValue(2);
        assertThat(rerun.status()).isEqualTo(Status.OK);
        Path dir = out.resolve("t.rec").resolve(first.runId());
        try (var attempts = Files.list(dir.resolve("attempts"))) {
            List<Path> kept = attempts.toList();
            assertThat(kept).hasSize(1);
            assertThat(kept.get(0).resolve("result.json")).exists();
            assertThat(kept.get(0).getFileName().toString()).matches("\\d{8}T\\d{6}\\.\\d{3}Z");
        }
        assertThat(dir.resolve("result.json")).exists();
    }

    @Test
    void aFailedRunRunsAgainKeepingItsCheckpointsAndItsEarlierAttempt() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(true);
        Experiment flaky = experiment("t.flaky", (req, rep) -> {
            try {
                Files.createDirectories(req.outputDir().resolve("checkpoints"));
                Path ckpt = req.outputDir().resolve("checkpoints/state.bin");
                rep.answer("resumed", Files.exists(ckpt));
                Files.writeString(ckpt, "epoch 1");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (fail.get()) {
                throw new IllegalStateException("interrupted");
            }
        });
        ExperimentResult failed = runner(false).run(flaky, "test", params(flaky, "3"));
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        fail.set(false);
        ExperimentResult second = runner(false).run(flaky, "test", params(flaky, "3"));
        assertThat(second.status()).isEqualTo(Status.OK);
        assertThat(second.answers().get("resumed")).isEqualTo(true);
        try (var attempts = Files.list(out.resolve("t.flaky").resolve(second.runId()).resolve("attempts"))) {
            Path kept = attempts.findFirst().orElseThrow();
            assertThat(kept.resolve("error.log")).content().contains("interrupted");
        }
    }

    @Test
    void aRunHeldByALiveProcessIsLeftAloneAndAStaleLockIsTakenOver() throws Exception {
        Params p = params(counting, "5");
        RunFolder folder = runner(false).folder(counting, p);
        Files.createDirectories(folder.dir());
        // a live holder: this very process, as another launcher on this host would be
        Files.writeString(folder.dir().resolve(".lock"), "{\"host\":\"" + InetAddress.getLocalHost().getHostName()
                + "\",\"pid\":" + ProcessHandle.current().pid() + ",\"since\":\"2026-12-01T00:00:00Z\"}");
        ExperimentResult locked = runner(false).run(counting, "test", p);
        assertThat(locked.status()).isEqualTo(Status.LOCKED);
        assertThat(locked.error()).contains("running elsewhere").contains("pid " + ProcessHandle.current().pid())
                .contains("since 2026-12-01T00:00:00Z");
        assertThat(executions).hasValue(0);
        assertThat(folder.resultFile()).doesNotExist();

        // a dead holder: a pid that no process has
        long dead = deadPid();
        Files.writeString(folder.dir().resolve(".lock"), "{\"host\":\"" + InetAddress.getLocalHost().getHostName()
                + "\",\"pid\":" + dead + ",\"since\":\"2026-12-01T00:00:00Z\"}");
        Files.setLastModifiedTime(folder.dir().resolve(".lock"), java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(runner(false).run(counting, "test", p).status()).isEqualTo(Status.OK);
        assertThat(folder.dir().resolve(".lock")).doesNotExist();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aCancelledRunSaysSoAndRunsAgainNextTime() {
        AtomicBoolean cancel = new AtomicBoolean();
        Experiment long_ = experiment("t.cancel", (req, rep) -> {
            executions.incrementAndGet();
            cancel.set(true); // as the shutdown hook does on SIGTERM
            req.checkCancelled();
        });
        RunSettings settings = new RunSettings(out, registry, new PlatformConfig(Map.of(), new Properties()).dataLocations(),
                dlx.api.Device.CPU, dlx.engine.meters.ProgressBars.none(registry), log::add, cancel, false);
        ExperimentResult r = new ExperimentRunner(settings).run(long_, "test", params(long_, "3"));
        assertThat(r.status()).isEqualTo(Status.CANCELLED);
        assertThat(r.error()).contains("cancelled");
        cancel.set(false);
        new ExperimentRunner(settings).run(long_, "test", params(long_, "3"));
        assertThat(executions).hasValue(2);
    }

    @Test
    void theEnvironmentIsRecordedFromWhatReallyRuns() throws Exception {
        ExperimentResult r = runner(false).run(counting, "test", params(counting, "3"));
        Map<String, Object> env = r.environment();
        @SuppressWarnings("unchecked")
        Map<String, Object> java = (Map<String, Object>) env.get("java");
        assertThat(java.get("version")).isEqualTo(Runtime.version().toString());
        assertThat(java.get("vendor")).isEqualTo(System.getProperty("java.vendor"));
        assertThat(env.get("maxHeapBytes")).isEqualTo(Runtime.getRuntime().maxMemory());
        @SuppressWarnings("unchecked")
        Map<String, Object> cpu = (Map<String, Object>) env.get("cpu");
        assertThat(cpu.get("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
        // every run records the machine as dlx bench prints it (MachineTest checks it against /proc/cpuinfo)
        Map<String, String> machine = dlx.engine.store.Machine.current(System.getenv()).describe();
        assertThat(cpu).containsEntry("model", machine.get("cpu"))
                .containsEntry("vectorExtensions", machine.get("cpuVectorExtensions"))
                .containsEntry("jvmVector", machine.get("jvmVector"));
        @SuppressWarnings("unchecked")
        Map<String, Object> threads = (Map<String, Object>) env.get("threads");
        assertThat(threads).containsEntry("summary", machine.get("threads"));
        assertThat(env.get("host")).isEqualTo(InetAddress.getLocalHost().getHostName());
        assertThat((String) env.get("commandLine")).contains("java");
        assertThat((String) env.get("startedUtc")).endsWith("Z");
        assertThat((String) env.get("endedUtc")).endsWith("Z");
        @SuppressWarnings("unchecked")
        Map<String, Object> plugin = (Map<String, Object>) env.get("plugin");
        assertThat((String) plugin.get("sha256")).matches("[0-9a-f]{64}");
        assertThat(env.get("deviceRequested")).isEqualTo("cpu");
        JsonNode json = ResultStore.json().readTree(out.resolve("t.rec/latest/result.json").toFile());
        assertThat(json.get("environment").get("java").get("version").asText()).isEqualTo(Runtime.version().toString());
        assertThat(json.get("environment").get("dlxCommit").asText()).matches("[0-9a-f]{40}|unknown");
    }

    @Test
    void resultFilesAreReadableByOthersAndTempLeftoversAreCleaned() throws Exception {
        Params p = params(counting, "6");
        RunFolder folder = runner(false).folder(counting, p);
        Files.createDirectories(folder.dir());
        Path leftover = Files.writeString(folder.dir().resolve(".result-123.json.tmp"), "{");
        ExperimentResult r = runner(false).run(counting, "test", p);
        assertThat(leftover).doesNotExist();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resultFile())))
                .isEqualTo("rw-r--r--");
        assertThat(r.status()).isEqualTo(Status.OK);
    }
}
