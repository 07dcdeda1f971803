package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
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
        ExperimentResult r = ExperimentTestKit.quick(new CharLmExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        double initial = r.metric("initialValLoss");
        double last = ((Number) r.answer("finalValLoss")).doubleValue();
        assertThat(last).isLessThan(initial - 1.0).isLessThan(Math.log(65));
        List<double[]> train = r.series("trainLoss");
        assertThat(train.get(train.size() - 1)[1]).isLessThan(train.get(0)[1]);
        assertThat(((Number) r.answer("msPerStep")).doubleValue()).isPositive().isEqualTo(r.metric("msPerStep"));
        assertThat((String) r.answer("sampleBefore")).hasSize(60);
        assertThat((String) r.answer("sampleAfter")).hasSize(60);
        @SuppressWarnings("unchecked")
        Map<String, Double> contexts = (Map<String, Double>) r.answer("contextStudy");
        assertThat(contexts).containsOnlyKeys("2", "16", "64");
        @SuppressWarnings("unchecked")
        Map<String, Double> heads = (Map<String, Double>) r.answer("headsStudy");
        assertThat(heads).containsOnlyKeys("2", "4", "8");
        assertThat(heads.values()).allMatch(v -> v < initial);
        // Each study run is one label set of the same keys; its last validation point is the answer.
        List<double[]> context16 = r.series("valLoss", Labels.of("context", "16"));
        assertThat(context16.get(context16.size() - 1)[1]).isEqualTo(contexts.get("16"));
        assertThat(r.metric("finalValLoss", Labels.of("heads", "8"))).isEqualTo(heads.get("8"));
        assertThat(r.metric("tokensPerSecond", Labels.of("heads", "2"))).isPositive();
        assertThat(r.artifacts()).contains("loss.png", "context-study.png", "heads-study.png");
        assertThat(r.device()).contains("cpu");
    }

    @Test
    void shipsTheCorpus() throws Exception {
        String text = CharLmExperiment.text();
        assertThat(text).hasSize(1115394).startsWith("First Citizen:");
    }
}
