package dlx.launcher.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;
import dlx.launcher.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dlx runs}, {@code show} and {@code compare} on a generated results folder with corrupt entries. */
class RunRecordCommandsTest {
    @TempDir
    Path root;

    record Out(int exit, String out, String err) { }

    private Out dlx(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PlatformConfig(Map.of(), new Properties()), new PrintWriter(out), new PrintWriter(err), args);
        return new Out(exit, out.toString(), err.toString());
    }

    static void write(Path root, String exp, String runId, Status status, int epochs, double lr, double acc, String started)
            throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("profile", "quick");
        params.put("seed", 42);
        params.put("epochs", epochs);
        params.put("learningRate", lr);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", Map.of("version", "17.0.15"));
        env.put("host", runId.startsWith("c") ? "other-host" : "this-host");
        env.put("startedUtc", started);
        ExperimentResult r = new ExperimentResult(exp, "demo", status, status == Status.FAILED ? "IllegalStateException: boom\n  more" : null,
                params, Map.of("testAccuracy", acc, "durationSeconds", 1.5), Map.of("best", Map.of("mlp", acc)),
                Map.of("trainLoss", List.of(new double[] {0, 2.0}, new double[] {1, 1.0 / epochs})), List.of(), "cpu", runId, env);
        ResultStore.write(r, root.resolve(exp).resolve(runId).resolve("result.json"));
    }

    @BeforeEach
    void store() throws Exception {
        write(root, "demo.mlp", "aaaa11112222", Status.OK, 5, 0.1, 0.80, "2026-11-30T10:00:00Z");
        write(root, "demo.mlp", "aaaa33334444", Status.OK, 10, 0.1, 0.85, "2026-12-01T10:00:00Z");
        write(root, "demo.mlp", "bbbb55556666", Status.FAILED, 10, 0.01, 0.10, "2026-12-01T11:00:00Z");
        write(root, "demo.cnn", "cccc77778888", Status.OK, 5, 0.1, 0.90, "2026-12-01T12:00:00Z");
        Files.createSymbolicLink(root.resolve("demo.mlp/latest"), Path.of("bbbb55556666"));
        // corrupt entries
        Files.createDirectories(root.resolve("demo.mlp/dddd00000001"));
        Files.writeString(root.resolve("demo.mlp/dddd00000001/result.json"), "{\"experiment\": \"demo.mlp\", \"sta");
        Files.createDirectories(root.resolve("demo.mlp/dddd00000002"));
        Files.writeString(root.resolve("demo.mlp/dddd00000002/result.json"), "not json at all");
        Files.createDirectories(root.resolve("demo.mlp/dddd00000003"));
        Files.writeString(root.resolve("demo.mlp/notes.txt"), "a foreign file");
        Files.createSymbolicLink(root.resolve("demo.cnn/latest"), Path.of("gone00000000"));
        Files.createDirectories(root.resolve("old.layout"));
        Files.writeString(root.resolve("old.layout/result.json"), "{\"experiment\":\"old.layout\",\"status\":\"ok\"}");
    }

    @Test
    void theIndexListsWhatItCanAndMarksTheRest() {
        List<RunRecord> all = RunIndex.scan(root);
        assertThat(all.stream().filter(RunRecord::ok).map(RunRecord::runId))
                .containsExactly("cccc77778888", "bbbb55556666", "aaaa33334444", "aaaa11112222");
        assertThat(all.stream().filter(r -> !r.ok()).map(RunRecord::problem)).anyMatch(p -> p.startsWith(
                "corrupt: demo.mlp/dddd00000001/result.json"))
                .anyMatch(p -> p.startsWith("corrupt: demo.mlp/dddd00000002/result.json"))
                .anyMatch(p -> p.contains("dddd00000003: no result.json"))
                .anyMatch(p -> p.equals("foreign file: demo.mlp/notes.txt"))
                .anyMatch(p -> p.contains("demo.cnn/latest: points at a run that does not exist (gone00000000)"))
                .anyMatch(p -> p.startsWith("old layout: old.layout/result.json"));
        RunRecord failed = all.stream().filter(r -> r.runId().equals("bbbb55556666")).findFirst().orElseThrow();
        assertThat(failed.seriesFinal()).containsEntry("trainLoss", 0.1);
        assertThat(failed.value("params.learningRate")).isEqualTo(0.01);
        assertThat(failed.value("answers.best")).isEqualTo(Map.of("mlp", 0.1));
    }

    @Test
    void runsFiltersSortsAndShowsTheParametersThatDiffer() {
        Out all = dlx("runs", "--results", root.toString());
        assertThat(all.exit).isZero();
        assertThat(all.out.lines().findFirst().orElseThrow())
                .contains("experiment").contains("runId").contains("params.epochs").contains("params.learningRate")
                .doesNotContain("params.seed");
        assertThat(all.out).contains("IllegalStateException: boom").doesNotContain("more")
                .contains("foreign file: demo.mlp/notes.txt").contains("old layout");

        Out sorted = dlx("runs", "demo.*", "--results", root.toString(), "--status", "ok", "--sort", "-metrics.testAccuracy",
                "--columns", "metrics.testAccuracy", "--format", "csv");
        List<String> lines = sorted.out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("experiment,runId,status,started,duration,device,params.epochs,metrics.testAccuracy,note");
        assertThat(lines.subList(1, lines.size())).extracting(l -> l.split(",")[1])
                .containsExactly("cccc77778888", "aaaa33334444", "aaaa11112222");

        Out where = dlx("runs", "--results", root.toString(), "--where", "params.epochs=10", "--since", "2026-12-01",
                "--format", "json");
        assertThat(where.exit).isZero();
        assertThat(where.out).contains("aaaa33334444").contains("bbbb55556666").doesNotContain("aaaa11112222")
                .doesNotContain("cccc77778888");
    }

    @Test
    void showTakesAUniquePrefixOrAnExperimentsLatestRun() {
        Out show = dlx("show", "aaaa3", "--results", root.toString());
        assertThat(show.exit).as(show.err).isZero();
        assertThat(show.out).contains("demo.mlp  run aaaa33334444  ok").contains("learningRate").contains("0.1000")
                .contains("best.mlp").contains("java.version").contains("result.json");
        Out latest = dlx("show", "demo.mlp", "--results", root.toString());
        assertThat(latest.out).contains("run bbbb55556666  failed").contains("error: IllegalStateException: boom");
        Out json = dlx("show", "cccc", "--results", root.toString(), "--format", "json");
        assertThat(json.out).contains("\"runId\" : \"cccc77778888\"");
    }

    @Test
    void showPrintsWhereEachDataSetCameFromAndWhetherTheRunRepeatsBitForBit() throws Exception {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("determinism", Map.of("bitExact", true, "statement", "bit-exact for seed 42 on this machine: plain Java"));
        ExperimentResult r = new ExperimentResult("demo.data", "demo", Status.OK, null, Map.of("seed", 42), Map.of(), Map.of(),
                Map.of(), List.of(), "cpu", "eeee00001111", env, List.of(
                        dlx.api.DataSource.files("fashion-mnist", dlx.api.DataSource.Origin.SYSTEM_PACKAGE,
                                "/usr/share/datasets/fashion-mnist", 30_000_000L, "c".repeat(64)),
                        dlx.api.DataSource.generated("pig-latin", "3200 words", 42)));
        ResultStore.write(r, root.resolve("demo.data/eeee00001111/result.json"));
        Out show = dlx("show", "eeee", "--results", root.toString());
        assertThat(show.exit).as(show.err).isZero();
        assertThat(show.out).contains("determinism.bitExact").contains("bit-exact for seed 42 on this machine")
                .contains("data sources:")
                .contains("fashion-mnist  system-package  /usr/share/datasets/fashion-mnist  30000000 bytes  sha256 " + "c".repeat(64))
                .contains("pig-latin  generated  3200 words  seed 42");
        RunRecord record = RunIndex.read(root.resolve("demo.data/eeee00001111"));
        assertThat(record.value("data.fashion-mnist")).isEqualTo("system-package /usr/share/datasets/fashion-mnist");
    }

    @Test
    void unknownOrAmbiguousRunsExitWithTwoAndNameTheCloseOnes() {
        Out ambiguous = dlx("show", "aaaa", "--results", root.toString());
        assertThat(ambiguous.exit).isEqualTo(2);
        assertThat(ambiguous.err).contains("'aaaa' is ambiguous").contains("aaaa11112222").contains("aaaa33334444");
        Out unknown = dlx("show", "aaab", "--results", root.toString());
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.err).contains("no run 'aaab'").contains("close:");
    }

    @Test
    void compareSetsRunsSideBySideAndMarksDifferences() throws Exception {
        Out cmp = dlx("compare", "aaaa1", "cccc", "--results", root.toString());
        assertThat(cmp.exit).as(cmp.err).isZero();
        List<String> lines = cmp.out.lines().toList();
        assertThat(lines.get(0)).contains("demo.mlp/aaaa11112222").contains("demo.cnn/cccc77778888");
        assertThat(lines).anyMatch(l -> l.startsWith("*") && l.contains("metrics.testAccuracy") && l.contains("0.8000")
                && l.contains("0.9000"));
        assertThat(lines).anyMatch(l -> !l.startsWith("*") && l.contains("params.epochs"));
        assertThat(lines).anyMatch(l -> l.startsWith("*") && l.contains("environment.host") && l.contains("other-host"));
        assertThat(lines).noneMatch(l -> l.contains("environment.java.version"));
        assertThat(lines).anyMatch(l -> l.contains("series.trainLoss") && l.contains("0.2000"));
        JsonNode unused = ResultStore.json().readTree("{}");
        assertThat(unused).isEmpty();
    }
}
