package dlx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dlx.api.BarChart;
import dlx.api.Experiment;
import dlx.api.ExperimentSkipped;
import dlx.api.ExperimentSpec;
import dlx.api.HeatMap;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.Profile;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.api.TableSpec;
import dlx.engine.config.PlatformConfig;
import dlx.engine.meters.MeterNames;
import dlx.engine.store.ResultStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentRunnerTest {
    @TempDir
    Path out;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A run body with the old single-context shape, for brevity: req.params(), rep.metric(...). */
    interface Body extends BiConsumer<RunRequest, RunReporter> { }

    static Experiment experiment(String id, Body body) {
        return new Experiment() {
            @Override
            public ExperimentSpec spec() {
                return ExperimentSpec.builder(id).title(id).param(ParamSpec.integer("n", 3).quick(2)).build();
            }

            @Override
            public void run(RunRequest request, RunReporter reporter) {
                body.accept(request, reporter);
            }
        };
    }

    private ExperimentResult run(Experiment e) {
        return new ExperimentRunner(RunSettings.quiet(out, registry,
                new PlatformConfig(Map.of(), new Properties()).dataLocations())).run(e, "test", Map.of(), Profile.QUICK);
    }

    @Test
    void anOkRunWritesTheContractAndPublishesMeters() throws Exception {
        ExperimentResult r = run(experiment("t.ok", (req, ctx) -> {
            for (int i = 0; i < req.params().integer("n"); i++) {
                ctx.series("trainLoss").add(i, 1.0 / (i + 1));
            }
            ctx.metric("testAccuracy", 0.9);
            ctx.answer("flag", true);
            ctx.answer("nested", Map.of("a", List.of(1, 2)));
            ctx.plot(PlotSpec.lines("loss.png", "Loss", "epoch", "loss", "trainLoss"));
            ctx.usedDevice("cpu");
        }));
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.series().get("trainLoss")).hasSize(2);
        assertThat(r.artifacts()).containsExactly("trainLoss.csv", "loss.png", "run.log");
        assertThat(out.resolve("t.ok/latest/loss.png")).isNotEmptyFile();

        JsonNode json = ResultStore.json().readTree(out.resolve("t.ok/latest/result.json").toFile());
        assertThat(json.fieldNames()).toIterable().containsSubsequence("experiment", "status", "params", "metrics",
                "answers", "series", "artifacts");
        assertThat(json.get("status").asText()).isEqualTo("ok");
        assertThat(json.get("params").get("profile").asText()).isEqualTo("quick");
        assertThat(json.get("params").get("n").asInt()).isEqualTo(2);
        assertThat(json.get("metrics").get("testAccuracy").asDouble()).isEqualTo(0.9);
        assertThat(json.get("metrics").has("durationSeconds")).isTrue();
        assertThat(json.get("answers").get("nested").get("a").get(1).asInt()).isEqualTo(2);
        assertThat(json.get("series").get("trainLoss").get(1).get(1).asDouble()).isEqualTo(0.5);
        assertThat(json.get("device").asText()).isEqualTo("cpu");
        assertThat(Files.list(out.resolve("t.ok/latest")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.endsWith(".tmp"));

        assertThat(registry.get("dlx.test_accuracy").tag("experiment", "t.ok").gauge().value()).isEqualTo(0.9);
        assertThat(registry.get("dlx.train_loss").tag("experiment", "t.ok").gauge().value()).isEqualTo(0.5);
        assertThat(registry.get("dlx.runs").tags("experiment", "t.ok", "status", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get("dlx.run.duration").tag("experiment", "t.ok").timer().count()).isEqualTo(1);
    }

    @Test
    void aThrowingRunIsFailedWithTheCauseChainAndKeepsWhatItRecorded() throws Exception {
        ExperimentResult r = run(experiment("t.fail", (req, ctx) -> {
            ctx.metric("partial", 1);
            throw new IllegalStateException("outer", new ArithmeticException("inner"));
        }));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).isEqualTo("IllegalStateException: outer <- caused by ArithmeticException: inner");
        assertThat(r.metrics()).containsKey("partial");
        JsonNode json = ResultStore.json().readTree(out.resolve("t.fail/latest/result.json").toFile());
        assertThat(json.get("status").asText()).isEqualTo("failed");
        assertThat(json.get("error").asText()).contains("inner");
        assertThat(out.resolve("t.fail/latest/error.log")).content().contains("ArithmeticException");
    }

    @Test
    void errorsToo() {
        ExperimentResult r = run(experiment("t.error", (req, ctx) -> {
            throw new NoClassDefFoundError("some/Missing");
        }));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("NoClassDefFoundError").contains("some/Missing");
    }

    @Test
    void aVerificationAboveToleranceFailsTheRunAfterEverythingIsRecorded() {
        ExperimentResult r = run(experiment("t.verify", (req, ctx) -> {
            ctx.verify("goodResidual", 1e-9, 1e-6);
            ctx.verify("badResidual", 0.5, 1e-6);
            ctx.verify("nanResidual", Double.NaN, 1e-6);
            ctx.answer("stillHere", 1);
        }));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("badResidual = 0.5").contains("nanResidual").doesNotContain("goodResidual");
        assertThat(r.metrics()).containsEntry("goodResidual", 1e-9);
        assertThat(r.answers()).containsKey("stillHere");
    }

    @Test
    void aSkipIsRecordedWithItsInstructions() {
        ExperimentResult r = run(experiment("t.skip", (req, ctx) -> {
            throw new ExperimentSkipped("no model configured: pass --param model=<folder>");
        }));
        assertThat(r.status()).isEqualTo(Status.SKIPPED);
        assertThat(r.error()).contains("--param model=");
    }

    @Test
    void labelledValuesKeepTheirLabelsInTheResultTheCsvAndTheMeters() throws Exception {
        ExperimentResult r = run(experiment("t.labels", (req, ctx) -> {
            for (String model : List.of("mlp", "cnn2")) {
                Labels m = Labels.of("model", model);
                for (int e = 0; e < 3; e++) {
                    ctx.series("trainLoss", m).add(e, model.length() + e);
                }
                ctx.metric("accuracy", m.and("testSet", "rot90"), model.equals("mlp") ? 3.5 : 5.5);
                ctx.answer("accuracy", m.and("testSet", "rot90"), model.equals("mlp") ? 3.5 : 5.5);
            }
            ctx.answer("params", Labels.of("model", "mlp"), 101770);
            ctx.plot(LinePlot.builder("loss.png", "Loss", "epoch", "loss").everyLabelSet("trainLoss").build());
        }));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("accuracy", Labels.of("model", "cnn2", "testSet", "rot90"))).isEqualTo(5.5);
        assertThat(r.series("trainLoss", Labels.of("model", "mlp"))).hasSize(3);
        assertThat(r.answers().get("accuracy")).isEqualTo(Map.of("mlp", Map.of("rot90", 3.5), "cnn2", Map.of("rot90", 5.5)));
        assertThat(r.answers().get("params")).isEqualTo(Map.of("mlp", 101770));

        JsonNode json = ResultStore.json().readTree(out.resolve("t.labels/latest/result.json").toFile());
        assertThat(json.get("metrics").get("accuracy{model=mlp,testSet=rot90}").asDouble()).isEqualTo(3.5);
        assertThat(json.get("series").get("trainLoss{model=cnn2}").get(2).get(1).asDouble()).isEqualTo(6.0);
        assertThat(out.resolve("t.labels/latest/trainLoss.csv")).content()
                .startsWith("model,x,y\nmlp,0.0,3.0\n").contains("cnn2,2.0,6.0");
        assertThat(out.resolve("t.labels/latest/loss.png")).isNotEmptyFile();

        assertThat(registry.get("dlx.accuracy").tags("experiment", "t.labels", "model", "mlp", "test_set", "rot90")
                .gauge().value()).isEqualTo(3.5);
        assertThat(registry.get("dlx.train_loss").tags("experiment", "t.labels", "model", "cnn2").gauge().value())
                .isEqualTo(6.0);
    }

    @Test
    void tablesBarChartsAndHeatMapsAreWrittenByThePlatform() throws Exception {
        ExperimentResult r = run(experiment("t.tables", (req, ctx) -> {
            ctx.table(TableSpec.builder("ood.csv", "model", "note", "accuracy")
                    .row("mlp", "plain", 84.05).row("cnn2", "has, comma and \"quote\"", 87.9).build());
            ctx.plot(BarChart.of("bars.png", "Accuracy", "test set", "%", List.of("original", "rot90"), "mlp", List.of(84.0, 3.7)));
            ctx.plot(new HeatMap("confusion.png", "Confusion", "predicted", "true", List.of("a", "b"), List.of("a", "b"),
                    new double[][] {{5, 1}, {0, 4}}));
            ctx.plot(PlotSpec.lines("empty.png", "nothing recorded", "x", "y", "neverRecorded"));
        }));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.artifacts()).containsExactly("ood.csv", "bars.png", "confusion.png", "run.log");
        assertThat(out.resolve("t.tables/latest/ood.csv")).hasContent(
                "model,note,accuracy\nmlp,plain,84.05\ncnn2,\"has, comma and \"\"quote\"\"\",87.9");
        assertThat(out.resolve("t.tables/latest/bars.png")).isNotEmptyFile();
        assertThat(out.resolve("t.tables/latest/confusion.png")).isNotEmptyFile();
        assertThat(out.resolve("t.tables/latest/empty.png")).doesNotExist();
    }

    @Test
    void keysThatAreNotCamelCaseOrNamesOutsideTheFolderFailTheRun() {
        ExperimentResult glued = run(experiment("t.badkey", (req, ctx) -> ctx.metric("accuracy_mlp", 1)));
        assertThat(glued.status()).isEqualTo(Status.FAILED);
        assertThat(glued.error()).contains("accuracy_mlp").contains("Labels");
        ExperimentResult platforms = run(experiment("t.reserved", (req, ctx) -> ctx.metric("runs", 3)));
        assertThat(platforms.status()).isEqualTo(Status.FAILED);
        assertThat(platforms.error()).contains("'runs'").contains("platform's own meters");
        ExperimentResult escape = run(experiment("t.escape", (req, ctx) -> ctx.artifact("../../x")));
        assertThat(escape.status()).isEqualTo(Status.FAILED);
        assertThat(escape.error()).contains("../../x");
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNullWithTheReasonAndANonFiniteMetricFailsTheRun() throws Exception {
        ExperimentResult r = run(experiment("t.nan", (req, ctx) -> {
            ctx.series("trainLoss").add(0, 2.0).add(1, Double.NaN);
            ctx.answer("curve", List.of(1.0, Double.POSITIVE_INFINITY));
            ctx.metric("finalLoss", Double.NaN);
        }));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).isEqualTo("non-finite metric: finalLoss = NaN");
        assertThat(r.device()).isEqualTo(ExperimentRunner.PLAIN_JAVA);
        JsonNode json = ResultStore.json().readTree(out.resolve("t.nan/latest/result.json").toFile());
        assertThat(json.get("metrics").get("finalLoss").isNull()).isTrue();
        assertThat(json.get("series").get("trainLoss").get(1).get(1).isNull()).isTrue();
        assertThat(json.get("answers").get("curve").get(1).isNull()).isTrue();
        assertThat(json.get("nonFinite").get("metrics.finalLoss").asText()).isEqualTo("NaN");
        assertThat(json.get("nonFinite").get("series.trainLoss[1][1]").asText()).isEqualTo("NaN");
        assertThat(json.get("nonFinite").get("answers.curve[1]").asText()).isEqualTo("Infinity");
        assertThat(json.get("device").asText()).isEqualTo("cpu (plain Java)");
    }

    @Test
    void meterNamesAreSnakeCase() {
        assertThat(MeterNames.forKey("gradCheckMaxRelErr")).isEqualTo("dlx.grad_check_max_rel_err");
        assertThat(MeterNames.forKey("loss")).isEqualTo("dlx.loss");
    }
}
