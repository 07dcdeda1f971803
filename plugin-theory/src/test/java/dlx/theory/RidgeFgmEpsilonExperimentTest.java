package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RidgeFgmEpsilonExperimentTest {

    @TempDir
    Path tempDir;

    /** Minimises (1/2n)Σ(w xᵢ − tᵢ)² + λw² by golden-section search, independent of any formula. */
    static double ridgeWeightBySearch(double[] xs, double[] ts, double lambda) {
        java.util.function.DoubleUnaryOperator j = w -> {
            double s = 0;
            for (int i = 0; i < xs.length; i++) {
                s += (w * xs[i] - ts[i]) * (w * xs[i] - ts[i]);
            }
            return s / (2 * xs.length) + lambda * w * w;
        };
        double a = -10;
        double b = 10;
        double g = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 200; i++) {
            double c = b - g * (b - a);
            double d = a + g * (b - a);
            if (j.applyAsDouble(c) < j.applyAsDouble(d)) {
                b = d;
            } else {
                a = c;
            }
        }
        return (a + b) / 2;
    }

    @Test
    void epsilonIsInputOverRidgeWeightAndGrowsWithLambda() {
        ExperimentResult r = ExperimentTestKit.quick(new RidgeFgmEpsilonExperiment()).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.OK);

        double w = ridgeWeightBySearch(new double[] {1, 2}, new double[] {1, 3}, 0.1);
        // f(x − ε w) = w x − ε w² = 0.
        assertThat((Double) r.answer("exampleEpsilon")).isCloseTo(1.5 / w, within(1e-6));
        assertThat((String) r.answer("formula")).contains("2nλ");
        assertThat(r.answer("moreRobustWithWeightDecay")).isEqualTo(true);
        assertThat(r.metric("epsilonMaxRelResidual")).isLessThan(1e-8);

        @SuppressWarnings("unchecked")
        List<double[]> curve = (List<double[]>) r.answer("epsilonByLambda");
        assertThat(curve).hasSize(21);
        for (int i = 1; i < curve.size(); i++) {
            assertThat(curve.get(i)[1]).isGreaterThan(curve.get(i - 1)[1]);
        }
        assertThat(r.series("epsilonByLambda")).hasSize(21);
        Path dir = tempDir.resolve("theory.ridge-fgm-epsilon").resolve(r.runId());
        assertThat(Files.exists(dir.resolve("result.json"))).isTrue();
        assertThat(Files.exists(dir.resolve("epsilon-by-lambda.png"))).isTrue();
    }

    @Test
    void anInputOnTheNegativeSideNeedsANegativeEpsilonThatAlsoGrowsWithLambda() {
        ExperimentResult r = ExperimentTestKit.quick(new RidgeFgmEpsilonExperiment()).params(Map.of("x", "-1.5")).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.OK);
        double w = ridgeWeightBySearch(new double[] {1, 2}, new double[] {1, 3}, 0.1);
        assertThat((Double) r.answer("exampleEpsilon")).isCloseTo(-1.5 / w, within(1e-6));
        assertThat(r.answer("moreRobustWithWeightDecay")).isEqualTo(true);
    }
}
