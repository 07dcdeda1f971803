package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NqmStepsVsBatchExperimentTest {

    @TempDir
    Path tempDir;

    @Test
    void stepsHalveForSmallBatchesAndLevelOffBeyondTheCriticalBatchSize() {
        ExperimentResult r = ExperimentTestKit.quick(new NqmStepsVsBatchExperiment()).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.OK);

        @SuppressWarnings("unchecked")
        List<double[]> steps = (List<double[]>) r.answer("stepsByBatch");
        assertThat(steps).hasSize(9);
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i)[1]).isLessThanOrEqualTo(steps.get(i - 1)[1]);
        }
        // Noise-dominated: B × 4 cuts the steps by close to 4; curvature-dominated: almost no gain.
        assertThat(steps.get(0)[1] / steps.get(1)[1]).isBetween(3.5, 4.2);
        assertThat(steps.get(steps.size() - 2)[1] / steps.get(steps.size() - 1)[1]).isLessThan(1.1);
        double critical = (Double) r.answer("criticalBatchSize");
        double kInf = (Double) r.answer("noiseFreeSteps");
        assertThat(critical).isBetween(steps.get(1)[0], steps.get(steps.size() - 2)[0]);
        // No batch size beats the noise-free step count.
        assertThat(steps).allSatisfy(p -> assertThat(p[1]).isGreaterThanOrEqualTo(Math.floor(kInf)));

        // The scalar model (dims = 1) reaches any target in one step at η = 1/a once noise vanishes.
        ExperimentResult scalar = ExperimentTestKit.quick(new NqmStepsVsBatchExperiment())
                .param("dims", 1)
                .param("batchSizes", "1,1000000")
                .in(tempDir.resolve("scalar"))
                .run();
        assertThat(scalar.status()).isEqualTo(Status.OK);
        @SuppressWarnings("unchecked")
        List<double[]> scalarSteps = (List<double[]>) scalar.answer("stepsByBatch");
        assertThat(scalarSteps.get(1)[1]).isEqualTo(1.0);

        assertThat(r.metric("monteCarloMaxZ")).isLessThan(5);
        assertThat(r.metric("monteCarloSamples")).isEqualTo(9 * 200);
        Path dir = tempDir.resolve("theory.nqm-steps-vs-batch").resolve(r.runId());
        assertThat(Files.exists(dir.resolve("result.json"))).isTrue();
        assertThat(Files.exists(dir.resolve("steps-by-batch.png"))).isTrue();
    }
}
