package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiniCnnBackpropExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void gradientsMatchFiniteDifferencesAndTrainingLearns() {
        ExperimentResult r = ExperimentTestKit.quick(new MiniCnnBackpropExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("maxGradError")).isLessThan(1e-6);
        assertThat((Double) r.answer("finalTrainAccuracy")).isGreaterThan(0.9);
        assertThat((double[]) r.answer("restartAccuracies")).hasSize(3).contains((Double) r.answer("finalTrainAccuracy"));
        List<double[]> loss = r.series("trainLoss");
        assertThat(loss.get(loss.size() - 1)[1]).isLessThan(loss.get(0)[1]);
        assertThat(r.artifacts()).contains("training.png");
    }

    /** A hand-computed example: x = (1, 2, -1), w = (0.5, 0.25), v = (2, -1), y = +1. */
    @Test
    void gradientOfAHandComputedExample() {
        // a1 = 0.5 + 0.5 = 1, a2 = 1 - 0.25 = 0.75; o = (1, 0.75); y_hat = 2 - 0.75 = 1.25.
        double s = -1 / (1 + Math.exp(1.25));
        double[] expected = {s * (2 * 1 + -1 * 2), s * (2 * 2 + -1 * -1), s * 1, s * 0.75};
        double[] g = MiniCnnBackpropExperiment.gradient(new double[] {0.5, 0.25, 2, -1}, new double[] {1, 2, -1}, 1);
        for (int k = 0; k < 4; k++) {
            assertThat(g[k]).isCloseTo(expected[k], within(1e-15));
        }
        assertThat(MiniCnnBackpropExperiment.forward(new double[] {0.5, 0.25, 2, -1}, new double[] {1, 2, -1}, 1).loss())
                .isCloseTo(Math.log(1 + Math.exp(-1.25)), within(1e-15));
    }
}
