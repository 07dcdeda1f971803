package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropoutTikhonovExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void expectedObjectiveIsConfirmedByMonteCarlo() {
        ExperimentResult r = ExperimentTestKit.quick(new DropoutTikhonovExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("monteCarloRelErr")).isLessThan(DropoutTikhonovExperiment.TOLERANCE);
        assertThat(r.metric("monteCarloSampleSize")).isEqualTo(20_000.0);
        assertThat(r.metric("ridgeGradientResidual")).isLessThan(1e-9);
        assertThat((String) r.answer("formula")).contains("p(1-p)||Gamma w||^2");
        assertThat((double[]) r.answer("ridgeSolution")).hasSize(4);
    }

    /** Exact expectation over all 2^4 masks of a 2x2 X against the closed form. */
    @Test
    void closedFormMatchesExactEnumeration() {
        double p = 0.6;
        double[][] x = {{1.0, -2.0}, {0.5, 3.0}};
        double[] w = {0.7, -0.4};
        double[] y = {1.0, -1.5};
        double expected = 0;
        for (int mask = 0; mask < 16; mask++) {
            double prob = 1;
            double loss = 0;
            for (int i = 0; i < 2; i++) {
                double pred = 0;
                for (int j = 0; j < 2; j++) {
                    boolean keep = (mask >> (2 * i + j) & 1) == 1;
                    prob *= keep ? p : 1 - p;
                    pred += keep ? x[i][j] * w[j] : 0;
                }
                loss += (y[i] - pred) * (y[i] - pred);
            }
            expected += prob * loss;
        }
        double closed = DropoutTikhonovExperiment.closedForm(new DMatrixRMaj(x), new DMatrixRMaj(y),
                new DMatrixRMaj(w), p);
        assertThat(closed).isCloseTo(expected, within(1e-12));
    }
}
