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

class DropoutGaussianExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void equivalentSigmaSquaredIsConfirmedByMonteCarlo() {
        ExperimentResult r = ExperimentTestKit.quick(new DropoutGaussianExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat((Double) r.answer("exampleSigmaSquared")).isCloseTo((1 - 0.8) / 0.8, within(1e-12));
        assertThat((String) r.answer("sigmaSquaredFormula")).contains("(1 - p) / p");
        assertThat(r.metric("monteCarloRelErr")).isLessThan(DropoutGaussianExperiment.TOLERANCE);
        assertThat(r.metric("monteCarloSampleSize")).isEqualTo(20_000.0 * 50);
        List<double[]> mc = r.series("sigmaSquaredMonteCarlo");
        assertThat(mc).isNotEmpty();
        for (double[] pt : mc) {
            assertThat(pt[1]).isCloseTo((1 - pt[0]) / pt[0], within(0.05 + 0.1 * (1 - pt[0]) / pt[0]));
        }
        assertThat(r.artifacts()).contains("sigma-squared.png");
    }

    /** Exact expectation over all 2^d dropout masks equals the closed form with sigma^2 = (1-p)/p. */
    @Test
    void closedFormMatchesExactEnumerationOfMasks() {
        double p = 0.7;
        double[] x = {0.5, -1.2, 2.0};
        double[] w = {1.5, 0.3, -0.8};
        double y = 0.9;
        double expected = 0;
        for (int mask = 0; mask < 8; mask++) {
            double prob = 1;
            double pred = 0;
            for (int j = 0; j < 3; j++) {
                boolean keep = (mask >> j & 1) == 1;
                prob *= keep ? p : 1 - p;
                if (keep) {
                    pred += w[j] * x[j] / p;
                }
            }
            expected += prob * (y - pred) * (y - pred);
        }
        double[] parts = DropoutGaussianExperiment.expectedLoss(new double[][] {x}, new double[] {y}, w, (1 - p) / p);
        assertThat(parts[0] + parts[1]).isCloseTo(expected, within(1e-12));
    }
}
