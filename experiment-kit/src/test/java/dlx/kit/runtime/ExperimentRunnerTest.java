package dlx.kit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dlx.api.Experiment;
import dlx.api.ExperimentResult;
import dlx.api.ExperimentSkipped;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.Profile;
import dlx.api.RunContext;
import dlx.api.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentRunnerTest {
    @TempDir
    Path out;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static Experiment experiment(String id, Consumer<RunContext> body) {
        return new Experiment() {
            @Override
            public ExperimentSpec spec() {
                return ExperimentSpec.builder(id).title(id).param(ParamSpec.integer("n", 3).quick(2)).build();
            }

            @Override
            public void run(RunContext ctx) {
                body.accept(ctx);
            }
        };
    }

    private ExperimentResult run(Experiment e) {
        return new ExperimentRunner(RunSettings.quiet(out, registry)).run(e, "test", Map.of(), Profile.QUICK);
    }

    @Test
    void anOkRunWritesTheContractAndPublishesMeters() throws Exception {
        ExperimentResult r = run(experiment("t.ok", ctx -> {
            for (int i = 0; i < ctx.params().integer("n"); i++) {
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
        assertThat(r.artifacts()).containsExactly("trainLoss.csv", "loss.png");
        assertThat(out.resolve("t.ok/loss.png")).isNotEmptyFile();

        JsonNode json = ResultStore.json().readTree(out.resolve("t.ok/result.json").toFile());
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
        assertThat(Files.list(out.resolve("t.ok")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.endsWith(".tmp"));

        assertThat(registry.get("dlx.test_accuracy").tag("experiment", "t.ok").gauge().value()).isEqualTo(0.9);
        assertThat(registry.get("dlx.train_loss").tag("experiment", "t.ok").gauge().value()).isEqualTo(0.5);
        assertThat(registry.get("dlx.runs").tags("experiment", "t.ok", "status", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get("dlx.run.duration").tag("experiment", "t.ok").timer().count()).isEqualTo(1);
    }

    @Test
    void aThrowingRunIsFailedWithTheCauseChainAndKeepsWhatItRecorded() throws Exception {
        ExperimentResult r = run(experiment("t.fail", ctx -> {
            ctx.metric("partial", 1);
            throw new IllegalStateException("outer", new ArithmeticException("inner"));
        }));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).isEqualTo("IllegalStateException: outer <- caused by ArithmeticException: inner");
        assertThat(r.metrics()).containsKey("partial");
        JsonNode json = ResultStore.json().readTree(out.resolve("t.fail/result.json").toFile());
        assertThat(json.get("status").asText()).isEqualTo("failed");
        assertThat(json.get("error").asText()).contains("inner");
        assertThat(out.resolve("t.fail/error.log")).content().contains("ArithmeticException");
    }

    @Test
    void errorsToo() {
        ExperimentResult r = run(experiment("t.error", ctx -> {
            throw new NoClassDefFoundError("some/Missing");
        }));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("NoClassDefFoundError").contains("some/Missing");
    }

    @Test
    void aVerificationAboveToleranceFailsTheRunAfterEverythingIsRecorded() {
        ExperimentResult r = run(experiment("t.verify", ctx -> {
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
        ExperimentResult r = run(experiment("t.skip", ctx -> {
            throw new ExperimentSkipped("no model configured: pass --param model=<folder>");
        }));
        assertThat(r.status()).isEqualTo(Status.SKIPPED);
        assertThat(r.error()).contains("--param model=");
    }

    @Test
    void meterNamesAreSnakeCase() {
        assertThat(MeterNames.forKey("gradCheckMaxRelErr")).isEqualTo("dlx.grad_check_max_rel_err");
        assertThat(MeterNames.forKey("loss")).isEqualTo("dlx.loss");
    }
}
