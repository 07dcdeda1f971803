package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectExperimentsTest {
    @TempDir
    Path tempDir;

    private ExperimentResult run(dlx.api.Experiment e) {
        return new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(e, "nmt", Map.of("profile", "quick"), Profile.QUICK);
    }

    @Test
    void selectByContentHandCodedIsExactAndLearnedIsFarAboveChance() {
        ExperimentResult r = run(new SelectByContentExperiment());
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(((Number) r.answers().get("accuracyHandCoded")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) r.answers().get("accuracyLearned")).doubleValue()).isGreaterThan(0.6);
        assertThat(((Number) r.answers().get("targetAttentionHandCoded")).doubleValue()).isGreaterThan(0.99);
        assertThat(r.artifacts()).contains("attention-hand-coded.png", "attention-learned.png", "loss.png");
        assertThat(Files.exists(tempDir.resolve("nmt.select-by-content").resolve("attention-learned.png"))).isTrue();
        List<double[]> val = r.series().get("valLoss");
        assertThat(val.get(val.size() - 1)[1]).isLessThan(val.get(0)[1]);
    }

    @Test
    void selectByPositionHandCodedIsExactAndLearnedIsFarAboveChance() {
        ExperimentResult r = run(new SelectByPositionExperiment());
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(((Number) r.answers().get("accuracyHandCoded")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) r.answers().get("accuracyLearned")).doubleValue()).isGreaterThan(0.6);
    }
}
