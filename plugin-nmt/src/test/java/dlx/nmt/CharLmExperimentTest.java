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
import static org.assertj.core.api.Assertions.within;
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
        // Two seeds per study value (quick): the answer is their mean, the spread their sample standard deviation.
        for (String study : List.of("context", "heads")) {
            @SuppressWarnings("unchecked")
            Map<String, Double> means = (Map<String, Double>) r.answer(study + "Study");
            @SuppressWarnings("unchecked")
            Map<String, Double> spreads = (Map<String, Double>) r.answer(study + "StudySpread");
            assertThat(means).containsOnlyKeys(study.equals("context") ? List.of("2", "16", "64") : List.of("2", "4", "8"));
            for (String value : means.keySet()) {
                double a = r.metric("finalValLoss", Labels.of(study, value, "seed", "42"));
                double b = r.metric("finalValLoss", Labels.of(study, value, "seed", "43"));
                assertThat(means.get(value)).isCloseTo((a + b) / 2, within(1e-12));
                assertThat(spreads.get(value)).isCloseTo(Math.abs(a - b) / Math.sqrt(2), within(1e-12));
                assertThat(a).isNotEqualTo(b).isLessThan(initial);
            }
        }
        // Each study run is one label set of the same keys; its last validation point is its loss.
        List<double[]> context16 = r.series("valLoss", Labels.of("context", "16", "seed", "43"));
        assertThat(context16.get(context16.size() - 1)[1])
                .isEqualTo(r.metric("finalValLoss", Labels.of("context", "16", "seed", "43")));
        assertThat(r.metric("tokensPerSecond", Labels.of("heads", "2", "seed", "42"))).isPositive();
        assertThat(r.artifacts()).contains("loss.png", "context-study.png", "heads-study.png");
        assertThat(r.device()).contains("cpu");
    }

    @Test
    void shipsTheCorpus() throws Exception {
        String text = CharLmExperiment.text();
        assertThat(text).hasSize(1115394).startsWith("First Citizen:");
    }
}
