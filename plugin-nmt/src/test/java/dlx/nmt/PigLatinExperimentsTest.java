package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PigLatinExperimentsTest {
    @TempDir
    Path tempDir;

    @Test
    @SuppressWarnings("unchecked")
    void decoderOnlyLearnsOnTheTargetPart() {
        ExperimentResult r = ExperimentTestKit.quick(new DecoderOnlyExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        double best = ((Number) r.answer("bestValLoss")).doubleValue();
        assertThat(best).isLessThan(r.metric("initialValLoss") - 1.0);
        assertThat(((Number) r.answer("wordAccuracy")).doubleValue()).isBetween(0.0, 1.0);
        Map<String, String> t = (Map<String, String>) r.answer("translations");
        assertThat(t).containsKeys("the air conditioning is working", "i went shopping", "team", "impress");
        assertThat(t.get("the air conditioning is working").split(" ")).hasSize(5);
        assertThat(r.artifacts()).contains("loss.png");
    }

    /**
     * A run's folder belongs to one configuration, so a run resumes from the checkpoint it finds there.
     * Two epochs of 10 steps, then the three-epoch configuration given the two-epoch checkpoint (as an
     * interrupted three-epoch run would have left it): it trains only the third epoch. A checkpoint of
     * another configuration is refused, naming the parameters.
     */
    @Test
    void decoderOnlyResumesFromTheCheckpointInItsFolderAndRefusesAnotherConfiguration() throws Exception {
        Map<String, Object> common = Map.of("testWords", 5, "translate", "team", "stepsPerEpoch", 10);
        ExperimentTestKit first = ExperimentTestKit.quick(new DecoderOnlyExperiment()).params(common).param("epochs", 2)
                .in(tempDir);
        ExperimentResult r1 = first.run();
        assertThat(r1.status()).as(r1.error()).isEqualTo(Status.OK);
        assertThat(r1.metrics()).doesNotContainKey("resumedFromEpoch");
        Path checkpoint = first.outputDir().resolve("checkpoints/train/checkpoint.bin");
        assertThat(checkpoint).isRegularFile();

        ExperimentTestKit second = ExperimentTestKit.quick(new DecoderOnlyExperiment()).params(common).param("epochs", 3)
                .in(tempDir);
        Path interrupted = second.plannedOutputDir().resolve("checkpoints/train/checkpoint.bin");
        Files.createDirectories(interrupted.getParent());
        Files.copy(checkpoint, interrupted);
        ExperimentResult r2 = second.run();
        assertThat(r2.status()).as(r2.error()).isEqualTo(Status.OK);
        assertThat(r2.metric("resumedFromEpoch")).isEqualTo(3.0);
        assertThat(r2.metric("steps")).isEqualTo(30.0);
        // The restored epochs come from the checkpoint, not from a new model: same initial loss, same curve so far.
        assertThat(r2.metric("initialValLoss")).isEqualTo(r1.metric("initialValLoss"));
        List<double[]> val1 = r1.series("valLoss");
        List<double[]> val2 = r2.series("valLoss");
        assertThat(val2).hasSize(4);
        for (int i = 0; i < val1.size(); i++) {
            assertThat(val2.get(i)).containsExactly(val1.get(i));
        }
        assertThat(val2.get(3)[0]).isEqualTo(30.0);
        // The speed of the resumed attempt's own 10 steps.
        assertThat(r2.metric("msPerStep")).isPositive();
        assertThat(r2.metric("tokensPerSecond")).isPositive();

        ExperimentTestKit other = ExperimentTestKit.quick(new DecoderOnlyExperiment()).params(common).param("epochs", 3)
                .param("seed", 7).param("learningRate", 0.01).in(tempDir);
        Path foreign = other.plannedOutputDir().resolve("checkpoints/train/checkpoint.bin");
        Files.createDirectories(foreign.getParent());
        Files.copy(checkpoint, foreign);
        ExperimentResult refused = other.run();
        assertThat(refused.status()).isEqualTo(Status.FAILED);
        assertThat(refused.error()).contains("checkpoint " + foreign + " belongs to another configuration: seed 42 -> 7, "
                + "learningRate 0.005 -> 0.01; delete it or use the same parameters");
    }

    @Test
    @SuppressWarnings("unchecked")
    void attentionRunsTheFourConfigurations() {
        ExperimentResult r = ExperimentTestKit.quick(new AttentionExperiment()).param("translate", "team").in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        Map<String, Double> best = (Map<String, Double>) r.answer("bestValLoss");
        assertThat(best).containsOnlyKeys("h32-small", "h32-large", "h64-small", "h64-large");
        // Uniform guessing over the 31 tokens costs ln 31 = 3.43 nats.
        assertThat(best.values()).allMatch(v -> v < 2.6);
        assertThat((Map<String, Double>) r.answer("wordAccuracy")).hasSize(4);
        assertThat((Map<String, String>) r.answer("translations")).containsOnlyKeys("team");
        for (String run : best.keySet()) {
            Labels labels = Labels.of("run", run);
            assertThat(r.metric("bestValLoss", labels)).isEqualTo(best.get(run));
            assertThat(r.series("valLoss", labels)).extracting(p -> p[1]).contains(best.get(run));
            assertThat(r.metric("tokensPerSecond", labels)).isPositive();
        }
        assertThat(r.artifacts()).contains("by-hidden-size-small.png", "by-hidden-size-large.png",
                "by-dataset-h32.png", "by-dataset-h64.png");
    }
}
