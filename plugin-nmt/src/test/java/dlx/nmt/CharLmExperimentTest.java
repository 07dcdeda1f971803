package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharLmExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void quickRunLearnsAndReportsTheCatalogueKeys() {
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(new CharLmExperiment(), "nmt", Map.of("profile", "quick"), Profile.QUICK);
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        double initial = r.metric("initialValLoss");
        double last = ((Number) r.answer("finalValLoss")).doubleValue();
        assertThat(last).isLessThan(initial - 1.0).isLessThan(Math.log(65));
        List<double[]> train = r.series().get("trainLoss");
        assertThat(train.get(train.size() - 1)[1]).isLessThan(train.get(0)[1]);
        assertThat(((Number) r.answer("msPerStep")).doubleValue()).isPositive();
        assertThat((String) r.answer("sampleBefore")).hasSize(60);
        assertThat((String) r.answer("sampleAfter")).hasSize(60);
        @SuppressWarnings("unchecked")
        Map<String, Double> contexts = (Map<String, Double>) r.answer("contextStudy");
        assertThat(contexts).containsOnlyKeys("2", "16", "64");
        @SuppressWarnings("unchecked")
        Map<String, Double> heads = (Map<String, Double>) r.answer("headsStudy");
        assertThat(heads).containsOnlyKeys("2", "4", "8");
        assertThat(heads.values()).allMatch(v -> v < initial);
        assertThat(r.artifacts()).contains("loss.png", "context-study.png", "heads-study.png");
        assertThat(r.device()).contains("cpu");
    }

    @Test
    void shipsTheCorpus() throws Exception {
        String text = CharLmExperiment.text();
        assertThat(text).hasSize(1115394).startsWith("First Citizen:");
    }
}
