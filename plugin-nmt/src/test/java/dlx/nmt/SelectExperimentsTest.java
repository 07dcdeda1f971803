package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Experiment;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectExperimentsTest {
    @TempDir
    Path tempDir;

    private ExperimentTestKit kit(Experiment e) {
        return ExperimentTestKit.quick(e).in(tempDir);
    }

    @Test
    void selectByContentHandCodedIsExactAndLearnedIsFarAboveChance() {
        ExperimentTestKit kit = kit(new SelectByContentExperiment());
        ExperimentResult r = kit.run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(((Number) r.answers().get("accuracyHandCoded")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) r.answers().get("accuracyLearned")).doubleValue()).isGreaterThan(0.6);
        assertThat(((Number) r.answers().get("targetAttentionHandCoded")).doubleValue()).isGreaterThan(0.99);
        assertThat(r.artifacts()).contains("attention-hand-coded.png", "attention-learned.png",
                "attention-side-by-side.png", "loss.png", "score-maps.png");
        // A learned content selector must score the matching key above the others, as the hand-coded one does.
        assertThat(((Number) r.answer("queryKeySimilarity")).doubleValue()).isBetween(0.0, 1.0);
        assertThat(((Number) r.answer("valueOutputSimilarity")).doubleValue()).isBetween(0.0, 1.0);
        assertThat(Files.exists(kit.outputDir().resolve("attention-learned.png"))).isTrue();
        List<double[]> val = r.series("valLoss");
        assertThat(val.get(val.size() - 1)[1]).isLessThan(val.get(0)[1]);
    }

    @Test
    void selectByPositionHandCodedIsExactAndLearnedIsFarAboveChance() {
        ExperimentResult r = kit(new SelectByPositionExperiment()).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(((Number) r.answers().get("accuracyHandCoded")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) r.answers().get("accuracyLearned")).doubleValue()).isGreaterThan(0.6);
    }
}
