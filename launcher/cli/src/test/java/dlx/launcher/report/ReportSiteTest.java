package dlx.launcher.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.engine.store.ResultStore;
import dlx.launcher.Main;
import dlx.launcher.UsageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site {@code dlx report} writes, read back from its data files, on a generated results folder with corrupt entries. */
class ReportSiteTest {
    static final String EVIL = "</script><script>alert('x')</script><img src=x onerror=alert(1)> & \u2028";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    static void write(Path root, String exp, String runId, Status status, String error, Map<String, Object> params,
                      Map<String, Double> metrics, Map<String, Object> answers, Map<String, List<double[]>> series, String started)
            throws Exception {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", Map.of("version", "17.0.15"));
        env.put("startedUtc", started);
        ExperimentResult r = new ExperimentResult(exp, "demo", status, error, params, metrics, answers, series, List.of("run.log"), "cpu",
                runId, env);
        ResultStore.write(r, root.resolve(exp).resolve(runId).resolve("result.json"));
        for (String name : series.keySet()) { // as the engine writes them next to the result
            Files.writeString(root.resolve(exp).resolve(runId).resolve(name.replaceAll("\\{.*", "") + ".csv"), "x,y\n");
        }
    }

    static List<double[]> points(int n, double scale) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new double[] {i, scale / (i + 1)});
        }
        return out;
    }

    @BeforeEach
    void store() throws Exception {
        write(root, "demo.mlp", "aaaa11112222", Status.OK, null, Map.of("epochs", 5, "learningRate", 0.1),
                Map.of("testAccuracy", 0.8, "durationSeconds", 1.5), Map.of("best", Map.of("mlp", 0.8)),
                Map.of("trainLoss", points(5, 2.0), "valLoss{run=small}", points(5, 3.0)), "2026-11-30T10:00:00Z");
        write(root, "demo.mlp", "aaaa33334444", Status.OK, null, Map.of("epochs", 10, "learningRate", 0.1),
                Map.of("testAccuracy", 0.85, "durationSeconds", 2.5), Map.of("best", Map.of("mlp", 0.85)),
                Map.of("trainLoss", points(10, 2.0)), "2026-12-01T10:00:00Z");
        write(root, "demo.mlp", "bbbb55556666", Status.FAILED, "IllegalStateException: boom\n  at somewhere",
                Map.of("epochs", 10, "learningRate", 0.01), Map.of("durationSeconds", 0.5), Map.of(), Map.of(), "2026-12-01T11:00:00Z");
        Files.writeString(root.resolve("demo.mlp/bbbb55556666/error.log"), "java.lang.IllegalStateException: boom\n\tat somewhere\n");
        // an analytic experiment: one check passed, one failed (as the engine words a failed verification)
        write(root, "theory.demo", "cccc77778888", Status.FAILED,
                "verification failed: slopeResidual = 0.5 is not below the tolerance 1.0E-9",
                Map.of("seed", 42), Map.of("slopeResidual", 0.5, "interceptRelErr", 1e-12, "trials", 100.0),
                Map.of("formula", "w* = (X^T X)^-1 X^T t", "matrix", List.of(List.of(1, 2), List.of(3, 4))), Map.of(),
                "2026-12-01T12:00:00Z");
        // user text everywhere a run holds some
        write(root, "demo.evil", "dddd99990000", Status.FAILED, EVIL + "\nsecond line",
                Map.of("dataDir", EVIL), Map.of("durationSeconds", 0.1), Map.of(EVIL, EVIL), Map.of(), "2026-12-01T13:00:00Z");
        Files.writeString(root.resolve("demo.evil/dddd99990000/run.log"), "log line " + EVIL + "\n");
        Files.writeString(root.resolve("demo.evil/dddd99990000/" + "x\"><img src=y onerror=alert(2)>.csv"), "x,y\n");
        // corrupt and partial entries
        Files.createDirectories(root.resolve("demo.mlp/eeee00000001"));
        Files.writeString(root.resolve("demo.mlp/eeee00000001/result.json"), "{\"experiment\": \"demo.mlp\", \"sta");
        Files.createDirectories(root.resolve("demo.mlp/eeee00000002"));
        Files.writeString(root.resolve("demo.mlp/eeee00000002/run.log"), "started, then killed\n");
        Files.writeString(root.resolve("demo.mlp/notes.txt"), "a foreign file");
    }

    /** A data file read back: the JSON after the assignment. */
    static JsonNode data(Path file) throws Exception {
        String js = Files.readString(file);
        int start = js.startsWith("(") ? js.indexOf("] = ") + 4 : js.indexOf(" = ") + 3; // a map entry, or a global
        return JSON.readTree(js.substring(start, js.lastIndexOf(';')));
    }

    /** One run's page data, from the file that holds it (several runs' entries: one statement each). */
    static JsonNode run(Path out, String token) throws Exception {
        Path file = out.resolve("data/runs/" + ReportSite.chunk(token) + ".js");
        String marker = "[\"" + token + "\"] = ";
        for (String line : Files.readAllLines(file)) {
            if (line.contains(marker)) {
                return JSON.readTree(line.substring(line.indexOf(marker) + marker.length(), line.lastIndexOf(';')));
            }
        }
        throw new AssertionError("no run " + token + " in " + file);
    }

    static JsonNode row(JsonNode index, String runId) {
        for (JsonNode r : index.get("runs")) {
            if (r.get("id").asText().equals(runId)) {
                return r;
            }
        }
        throw new AssertionError("no row " + runId);
    }

    @Test
    void theIndexListsEveryRunAndMarksTheCorruptOnes() throws Exception {
        Path out = root.resolve("report");
        ReportSite.Summary s = ReportSite.in(root).build();
        assertThat(s.runs()).isEqualTo(5);
        assertThat(s.marked()).isEqualTo(3);
        assertThat(s.index()).isEqualTo(out.resolve("index.html"));
        for (String page : List.of("index.html", "run.html", "compare.html", "answers.html", "assets/uPlot.iife.min.js",
                "assets/uPlot.min.css", "assets/report.js", "assets/report.css")) {
            assertThat(out.resolve(page)).isNotEmptyFile();
        }
        JsonNode index = data(out.resolve("data/index.js"));
        assertThat(index.get("runs")).hasSize(8);
        JsonNode ok = row(index, "aaaa33334444");
        assertThat(ok.get("s").asText()).isEqualTo("ok");
        assertThat(ok.get("t").asText()).isEqualTo("demo.mlp/aaaa33334444");
        assertThat(ok.get("p").get("epochs").asInt()).isEqualTo(10);
        assertThat(ok.get("m").get("testAccuracy").asDouble()).isEqualTo(0.85);
        assertThat(ok.get("d").asDouble()).isEqualTo(2.5);
        assertThat(ok.get("st").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(row(index, "bbbb55556666").get("n").asText()).isEqualTo("IllegalStateException: boom");
        assertThat(row(index, "eeee00000001").get("s").asText()).isEqualTo("corrupt");
        assertThat(row(index, "eeee00000001").get("n").asText()).startsWith("corrupt: demo.mlp/eeee00000001/result.json");
        assertThat(row(index, "eeee00000002").get("s").asText()).isEqualTo("incomplete");
        assertThat(index.get("runs").findValuesAsText("n")).contains("foreign file: demo.mlp/notes.txt");
        // the index is newest first, the marked entries after the runs
        assertThat(index.get("runs").get(0).get("id").asText()).isEqualTo("dddd99990000");

        // every entry has its page data; a partial run shows its log
        for (JsonNode r : index.get("runs")) {
            assertThat(run(out, r.get("t").asText()).get("token").asText()).isEqualTo(r.get("t").asText());
        }
        JsonNode partial = run(out, "demo.mlp/eeee00000002");
        assertThat(partial.get("problem").asText()).contains("no result.json");
        assertThat(partial.get("logs").get("run.log").get("text").asText()).isEqualTo("started, then killed\n");
    }

    @Test
    void aRunPageHoldsItsWholeResultFilesAndLogs() throws Exception {
        ReportSite.in(root).build();
        JsonNode run = run(root.resolve("report"), "demo.mlp/aaaa11112222");
        assertThat(run.get("href").asText()).isEqualTo("../demo.mlp/aaaa11112222");
        assertThat(run.get("params").get("learningRate").asDouble()).isEqualTo(0.1);
        assertThat(run.get("answers").get("best").get("mlp").asDouble()).isEqualTo(0.8);
        assertThat(run.get("environment").get("java").get("version").asText()).isEqualTo("17.0.15");
        JsonNode loss = run.get("series").get("trainLoss");
        assertThat(loss.get("x")).hasSize(5);
        assertThat(loss.get("y").get(4).asDouble()).isEqualTo(2.0 / 5);
        assertThat(run.get("series").get("valLoss{run=small}").get("y").get(0).asDouble()).isEqualTo(3.0);
        assertThat(run.get("files").findValuesAsText("name")).contains("result.json", "trainLoss.csv", "valLoss.csv");
        assertThat(run.get("files").findValuesAsText("href")).contains("../demo.mlp/aaaa11112222/trainLoss.csv");

        JsonNode failed = run(root.resolve("report"), "demo.mlp/bbbb55556666");
        assertThat(failed.get("error").asText()).startsWith("IllegalStateException: boom\n");
        assertThat(failed.get("logs").get("error.log").get("text").asText()).contains("\tat somewhere");
    }

    @Test
    void checksAreListedWithTheirVerdictsOnTheAnswersPage() throws Exception {
        ReportSite.in(root).build();
        JsonNode answers = data(root.resolve("report/data/answers.js"));
        assertThat(answers.findValuesAsText("experiment")).containsExactly("theory.demo");
        JsonNode theory = answers.get(0);
        assertThat(theory.get("answers").get("formula").asText()).isEqualTo("w* = (X^T X)^-1 X^T t");
        assertThat(theory.get("answers").get("matrix").get(1).get(0).asInt()).isEqualTo(3);
        JsonNode checks = theory.get("checks");
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        checks.forEach(c -> byKey.put(c.get("key").asText(), c));
        assertThat(byKey).containsOnlyKeys("slopeResidual", "interceptRelErr");
        assertThat(byKey.get("slopeResidual").get("verdict").asText()).isEqualTo("failed");
        assertThat(byKey.get("slopeResidual").get("tolerance").asText()).isEqualTo("1.0E-9");
        assertThat(byKey.get("slopeResidual").get("residual").asDouble()).isEqualTo(0.5);
        assertThat(byKey.get("interceptRelErr").get("verdict").asText()).isEqualTo("passed");
        // in an ok run every check passed; after another failure nothing is known
        assertThat(RunData.checks(Map.of("gradCheckMaxRelErr", 1e-7), "ok", null).get(0).get("verdict").asText()).isEqualTo("passed");
        assertThat(RunData.checks(Map.of("gradCheckMaxRelErr", 1e-7), "failed", "OutOfMemoryError").get(0).get("verdict").asText())
                .isEqualTo("unknown");
        assertThat(RunData.checks(Map.of("testAccuracy", 0.9, "trials", 5.0), "ok", null)).isEmpty();
    }

    @Test
    void userTextNeverBecomesMarkup() throws Exception {
        ReportSite.in(root).build();
        Path out = root.resolve("report");
        try (Stream<Path> files = Files.walk(out.resolve("data"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertThat(text).as(f.toString()).doesNotContain("<").doesNotContain(">").doesNotContain("\u2028");
            }
        }
        // ... and reads back exactly
        JsonNode evil = run(out, "demo.evil/dddd99990000");
        assertThat(evil.get("params").get("dataDir").asText()).isEqualTo(EVIL);
        assertThat(evil.get("answers").get(EVIL).asText()).isEqualTo(EVIL);
        assertThat(evil.get("error").asText()).isEqualTo(EVIL + "\nsecond line");
        assertThat(evil.get("logs").get("run.log").get("text").asText()).isEqualTo("log line " + EVIL + "\n");
        JsonNode file = null;
        for (JsonNode f : evil.get("files")) {
            if (f.get("name").asText().endsWith(".csv")) {
                file = f;
            }
        }
        assertThat(file).isNotNull();
        assertThat(file.get("href").asText()).isEqualTo("../demo.evil/dddd99990000/x%22%3E%3Cimg%20src%3Dy%20onerror%3Dalert%282%29%3E.csv");
        assertThat(row(data(out.resolve("data/index.js")), "dddd99990000").get("n").asText()).isEqualTo(EVIL);
        // the pages are the launcher's own files: no run's text is in them
        for (ReportPage page : ReportPage.values()) {
            assertThat(Files.readString(out.resolve(page.file()))).doesNotContain("alert");
        }
        // a folder name that is not a plain name gets a digest for its address
        Files.createDirectories(root.resolve("demo.mlp/we<ird name"));
        ReportSite.in(root).build();
        JsonNode weird = null;
        for (JsonNode r : data(out.resolve("data/index.js")).get("runs")) {
            if (r.get("id").asText().equals("we<ird name")) {
                weird = r;
            }
        }
        assertThat(weird).isNotNull();
        assertThat(weird.get("t").asText()).matches("_/[0-9a-f]{16}");
    }

    @Test
    void longSeriesAreThinnedAndLongLogsCut() throws Exception {
        write(root, "demo.long", "ffff00001111", Status.OK, null, Map.of(), Map.of(), Map.of(),
                Map.of("loss", points(25_000, 1.0)), "2026-12-01T10:00:00Z");
        ReportSite.in(root).build();
        JsonNode cols = run(root.resolve("report"), "demo.long/ffff00001111").get("series").get("loss");
        assertThat(cols.get("n").asInt()).isEqualTo(25_000);
        // every 3rd point (25,000 / 10,000 rounded up) and the last, 24,999 (itself a multiple of 3)
        assertThat(cols.get("x")).hasSize(8_334);
        assertThat(cols.get("x").get(1).asInt()).isEqualTo(3);
        assertThat(cols.get("y").get(1).asDouble()).isEqualTo(1.0 / 4);
        assertThat(cols.get("x").get(8_333).asInt()).isEqualTo(24_999);
        Path log = root.resolve("big.log");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);
        JsonNode tail = RunData.tail(log);
        assertThat(tail.get("truncated").asBoolean()).isTrue();
        assertThat(tail.get("text").asText()).endsWith("line 19999\n").startsWith("line ");
        assertThat(tail.get("text").asText().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RunData.LOG_TAIL);
    }

    @Test
    void runsShareDataFilesByAHashOfTheirNames() {
        // FNV-1a (32 bit) test vectors: "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968; the file is the low byte
        assertThat(ReportSite.chunk("demo.mlp/a")).isEqualTo("demo.mlp/2c");
        assertThat(ReportSite.chunk("x/foobar")).isEqualTo("x/68");
        assertThat(ReportSite.chunk("_/0123456789abcdef")).startsWith("_/").hasSize(4);
    }

    @Test
    void aRebuildRewritesOnlyWhatChanged() throws Exception {
        Path stale = root.resolve("report/data/runs/gone.exp/zz.js");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "// of a run that is no longer there");
        ReportSite site = ReportSite.in(root);
        site.build();
        assertThat(stale).doesNotExist();
        Path old = root.resolve("report/data/runs/" + ReportSite.chunk("demo.mlp/aaaa11112222") + ".js");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(0));
        write(root, "demo.cnn", "ffff12341234", Status.OK, null, Map.of("epochs", 1), Map.of("testAccuracy", 0.5), Map.of(), Map.of(),
                "2026-12-02T10:00:00Z");
        ReportSite.Summary s = site.build();
        assertThat(s.runs()).isEqualTo(6);
        assertThat(run(root.resolve("report"), "demo.cnn/ffff12341234").get("status").asText()).isEqualTo("ok");
        assertThat(Files.getLastModifiedTime(old).toMillis()).isZero();
        assertThat(row(data(root.resolve("report/data/index.js")), "ffff12341234").get("s").asText()).isEqualTo("ok");
    }

    @Test
    void compareNamesRunsForTheComparePage() throws Exception {
        ReportSite.Summary s = ReportSite.in(root).build(List.of("aaaa1", "demo.mlp/aaaa3333"));
        assertThat(s.compare()).isEqualTo(root.resolve("report/compare.html"));
        JsonNode chosen = data(root.resolve("report/data/compare.js"));
        assertThat(chosen.get(0).asText()).isEqualTo("demo.mlp/aaaa11112222");
        assertThat(chosen.get(1).asText()).isEqualTo("demo.mlp/aaaa33334444");
        assertThatThrownBy(() -> ReportSite.in(root).build(List.of("aaaa"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("ambiguous");
    }

    @Test
    void anEmptyFolderGetsAPageWithNoRuns() throws Exception {
        Path empty = root.resolve("empty");
        Files.createDirectories(empty);
        ReportSite.Summary s = ReportSite.in(empty).build();
        assertThat(s.runs()).isZero();
        assertThat(data(empty.resolve("report/data/index.js")).get("runs")).isEmpty();
        assertThat(empty.resolve("report/index.html")).isNotEmptyFile();
    }

    record Out(int exit, String out, String err) { }

    private static Out dlx(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PlatformConfig(Map.of(), new Properties()), new PrintWriter(out), new PrintWriter(err), args);
        return new Out(exit, out.toString(), err.toString());
    }

    @Test
    void theCommandPrintsWhereTheReportIsAndRefusesBadFolders() throws Exception {
        Out ok = dlx("report", root.toString());
        assertThat(ok.exit).as(ok.err).isZero();
        assertThat(ok.out).contains("5 run(s), 3 marked entries").endsWith("report: " + root.resolve("report/index.html") + "\n");

        Path file = root.resolve("a-file");
        Files.writeString(file, "x");
        Out unwritable = dlx("report", root.toString(), "--out", file.resolve("site").toString());
        assertThat(unwritable.exit).isEqualTo(2);
        assertThat(unwritable.err).contains("cannot write the report to " + file.resolve("site")).contains("--out");

        Out missing = dlx("report", root.resolve("nope").toString());
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).contains("no results folder " + root.resolve("nope")).contains("dlx run");

        Out inside = dlx("report", root.toString(), "--out", root.toString());
        assertThat(inside.exit).isEqualTo(2);
        assertThat(inside.err).contains("would hold the results folder");

        Out compare = dlx("report", root.toString(), "--compare", "aaaa1", "zzzz");
        assertThat(compare.exit).isEqualTo(2);
        assertThat(compare.err).contains("no run 'zzzz'");

        Out port = dlx("report", root.toString(), "--serve", "70000");
        assertThat(port.exit).isEqualTo(2);
        assertThat(port.err).contains("--serve must be a TCP port");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Out busy = dlx("report", root.toString(), "--serve", String.valueOf(taken.getLocalPort()));
            assertThat(busy.exit).isEqualTo(2);
            assertThat(busy.err).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
