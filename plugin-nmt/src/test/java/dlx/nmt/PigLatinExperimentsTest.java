package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PigLatinExperimentsTest {
    @TempDir
    Path tempDir;

    private ExperimentResult run(dlx.api.Experiment e, Map<String, String> params) {
        return new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(e, "nmt", params, Profile.QUICK);
    }

    @Test
    @SuppressWarnings("unchecked")
    void decoderOnlyLearnsOnTheTargetPart() {
        ExperimentResult r = run(new DecoderOnlyExperiment(), Map.of("profile", "quick"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        double best = ((Number) r.answer("bestValLoss")).doubleValue();
        assertThat(best).isLessThan(r.metric("initialValLoss") - 1.0);
        assertThat(((Number) r.answer("wordAccuracy")).doubleValue()).isBetween(0.0, 1.0);
        Map<String, String> t = (Map<String, String>) r.answer("translations");
        assertThat(t).containsKeys("the air conditioning is working", "i went shopping", "team", "impress");
        assertThat(t.get("the air conditioning is working").split(" ")).hasSize(5);
        assertThat(r.artifacts()).contains("loss.png");
    }

    @Test
    void decoderOnlyResumesFromTheLastCompletedEpoch() throws Exception {
        Map<String, String> common = Map.of("profile", "quick", "testWords", "5", "translate", "team",
                "stepsPerEpoch", "10");
        Map<String, String> first = new java.util.HashMap<>(common);
        first.put("epochs", "2");
        ExperimentResult r1 = run(new DecoderOnlyExperiment(), first);
        assertThat(r1.status()).as(r1.error()).isEqualTo(Status.OK);
        assertThat(r1.metrics()).doesNotContainKey("resumedFromEpoch");
        Path checkpoint = tempDir.resolve("nmt.decoder-only/checkpoints/train/checkpoint.bin");
        assertThat(checkpoint).isRegularFile();

        Map<String, String> second = new java.util.HashMap<>(common);
        second.put("epochs", "3");
        second.put("resume", "true");
        ExperimentResult r2 = run(new DecoderOnlyExperiment(), second);
        assertThat(r2.status()).as(r2.error()).isEqualTo(Status.OK);
        assertThat(r2.metric("resumedFromEpoch")).isEqualTo(3.0);
        // The initial validation loss comes from the checkpoint, not from a new model.
        assertThat(r2.metric("initialValLoss")).isEqualTo(r1.metric("initialValLoss"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void attentionRunsTheFourConfigurations() {
        ExperimentResult r = run(new AttentionExperiment(), Map.of("profile", "quick", "translate", "team"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        Map<String, Double> best = (Map<String, Double>) r.answer("bestValLoss");
        assertThat(best).containsOnlyKeys("h32-small", "h32-large", "h64-small", "h64-large");
        // Uniform guessing over the 31 tokens costs ln 31 = 3.43 nats.
        assertThat(best.values()).allMatch(v -> v < 2.6);
        assertThat((Map<String, Double>) r.answer("wordAccuracy")).hasSize(4);
        assertThat((Map<String, String>) r.answer("translations")).containsOnlyKeys("team");
        assertThat(r.artifacts()).contains("by-hidden-size-small.png", "by-hidden-size-large.png",
                "by-dataset-h32.png", "by-dataset-h64.png");
    }
}
