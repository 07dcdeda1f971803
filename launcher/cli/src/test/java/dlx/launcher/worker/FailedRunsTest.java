package dlx.launcher.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Params;
import dlx.api.Plugin;
import dlx.api.Profile;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.engine.ExperimentResult;
import dlx.engine.ExperimentRunner;
import dlx.engine.Status;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunFolder;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.discovery.LoadedPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailedRunsTest {
    @TempDir
    Path out;
    private final List<String> log = new ArrayList<>();

    public static final class Crashy implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("demo.crashy").title("c").build(); }
        public void run(RunRequest request, RunReporter reporter) { }
    }

    private final Catalog.Entry entry = new Catalog.Entry(new Crashy(), new LoadedPlugin(new Plugin() {
        public String name() { return "demo"; }
        public List<Class<? extends Experiment>> experiments() { return List.of(Crashy.class); }
    }, Path.of("demo.jar"), null, List.of()));
    private final Params params = ExperimentRunner.validate(new Crashy().spec(), Map.of(), Profile.QUICK);
    private RunFolder folder() {
        return new RunFolder(out, "demo.crashy", ExperimentRunner.runId(new Crashy(), params).value());
    }

    private JsonNode read(Path file) throws Exception {
        return ResultStore.json().readTree(file.toFile());
    }

    @Test
    void aRunWhoseWorkerDiedIsRecordedFailedWithTheReasonAndTheLastLinesOfItsLog() throws Exception {
        RunFolder f = folder();
        Files.createDirectories(f.dir());
        Files.writeString(f.dir().resolve("run.log"), IntStream.rangeClosed(1, 15).mapToObj(i -> "line " + i + "\n")
                .collect(Collectors.joining()));
        ExperimentResult r = FailedRuns.record(entry, params, out, Status.FAILED, "the worker JVM exited with code 3", 1.5,
                null, log::add);
        assertThat(r.status()).isEqualTo(Status.FAILED);
        JsonNode json = read(f.resultFile());
        assertThat(json.get("status").asText()).isEqualTo("failed");
        assertThat(json.get("runId").asText()).isEqualTo(f.runId());
        String error = json.get("error").asText();
        assertThat(error).startsWith("the worker JVM exited with code 3\n").contains("line 6\n").endsWith("line 15")
                .doesNotContain("line 5\n");
        assertThat(json.get("metrics").get("durationSeconds").asDouble()).isEqualTo(1.5);
        assertThat(json.get("artifacts").toString()).contains("run.log");
        assertThat(Files.readString(f.dir().resolve("run.log"))).endsWith("failed (recorded by the supervisor): the worker JVM exited with code 3\n");
        assertThat(RunFolder.latest(out.resolve("demo.crashy"))).contains(f.runId());
        assertThat(f.dir().resolve(RunFolder.LOCK)).doesNotExist();
    }

    @Test
    void anEarlierOkResultOfTheRunIdIsNeverReplacedByAFailure() throws Exception {
        RunFolder f = folder();
        ExperimentResult ok = new ExperimentResult("demo.crashy", "demo", Status.OK, null, params.asMap(), Map.of("x", 1.0),
                Map.of(), Map.of(), List.of(), "cpu", f.runId(), Map.of());
        ResultStore.write(ok, f.resultFile());
        FailedRuns.record(entry, params, out, Status.FAILED, "the worker JVM was killed by signal 9", 2, null, log::add);
        assertThat(read(f.resultFile()).get("status").asText()).isEqualTo("ok");
        try (var attempts = Files.list(f.dir().resolve(RunFolder.ATTEMPTS))) {
            List<Path> kept = attempts.toList();
            assertThat(kept).hasSize(1);
            assertThat(kept.get(0).getFileName().toString()).endsWith("-failed");
            assertThat(read(kept.get(0).resolve(RunFolder.RESULT)).get("error").asText()).contains("signal 9");
        }
        assertThat(log).anyMatch(l -> l.contains("earlier ok result"));
    }

    @Test
    void aRunHeldByAnotherLiveProcessIsLeftAlone() throws Exception {
        RunFolder f = folder();
        try (RunFolder.Lock held = f.lock()) { // this live process holds it
            ExperimentResult r = FailedRuns.record(entry, params, out, Status.FAILED, "timed out after 5s", 5, null, log::add);
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(f.resultFile()).doesNotExist();
            assertThat(log).anyMatch(l -> l.contains("not recorded") && l.contains("running elsewhere"));
        }
    }
}
