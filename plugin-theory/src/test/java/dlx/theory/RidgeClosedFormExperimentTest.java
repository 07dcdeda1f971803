package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RidgeClosedFormExperimentTest {

    @TempDir
    Path tempDir;

    private ExperimentResult run(Map<String, String> params) {
        return ExperimentTestKit.quick(new RidgeClosedFormExperiment()).params(params).in(tempDir).run();
    }

    @Test
    void exampleMatchesHandSolvedNormalEquations() {
        ExperimentResult r = run(Map.of());
        assertThat(r.status()).isEqualTo(Status.OK);

        // (XᵀX + 2nλI) w = Xᵀt with X = [[1,0],[0,1],[1,1]], t = [1,2,2], n = 3, λ = 0.5, by Cramer's rule.
        double[][] x = {{1, 0}, {0, 1}, {1, 1}};
        double[] t = {1, 2, 2};
        double reg = 2 * 3 * 0.5;
        double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < 3; i++) {
            a11 += x[i][0] * x[i][0];
            a12 += x[i][0] * x[i][1];
            a22 += x[i][1] * x[i][1];
            b1 += x[i][0] * t[i];
            b2 += x[i][1] * t[i];
        }
        a11 += reg;
        a22 += reg;
        double det = a11 * a22 - a12 * a12;
        double w1 = (b1 * a22 - a12 * b2) / det;
        double w2 = (a11 * b2 - a12 * b1) / det;

        double[] exampleW = (double[]) r.answer("exampleW");
        assertThat(exampleW[0]).isCloseTo(w1, within(1e-12));
        assertThat(exampleW[1]).isCloseTo(w2, within(1e-12));
        assertThat(w1).isCloseTo(11.0 / 24, within(1e-12));
        assertThat(w2).isCloseTo(17.0 / 24, within(1e-12));

        // The appended answer (XᵀX + nλI)⁻¹Xᵀt: [[3.5, 1], [1, 3.5]] w = (3, 4), so w = (6.5, 11) / 11.25, where the
        // gradient (1/n)Xᵀ(Xw − t) + 2λw of this objective is not zero.
        double[] nLambda = (double[]) r.answer("exampleWIfNLambda");
        assertThat(nLambda[0]).isCloseTo(6.5 / 11.25, within(1e-12));
        assertThat(nLambda[1]).isCloseTo(11 / 11.25, within(1e-12));
        double[] residual = new double[2];
        for (int i = 0; i < 3; i++) {
            double e = x[i][0] * nLambda[0] + x[i][1] * nLambda[1] - t[i];
            residual[0] += x[i][0] * e / 3;
            residual[1] += x[i][1] * e / 3;
        }
        double grad = Math.max(Math.abs(residual[0] + nLambda[0]), Math.abs(residual[1] + nLambda[1]));
        assertThat(r.metric("gradientIfNLambda")).isCloseTo(grad, within(1e-12)).isGreaterThan(0.1);
    }

    @Test
    void closedFormAgreesWithGradientDescentAndWritesResult() {
        ExperimentResult r = run(Map.of());
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat((String) r.answer("formula")).contains("2nλ");
        assertThat((Double) r.answer("maxAbsDiff")).isLessThan(1e-8);
        assertThat(r.metric("randomMaxAbsDiffResidual")).isLessThan(1e-8);
        assertThat(r.metric("exampleMaxAbsDiffResidual")).isLessThan(1e-8);
        assertThat(Files.exists(tempDir.resolve("theory.ridge-closed-form").resolve(r.runId()).resolve("result.json"))).isTrue();
    }

    @Test
    void largerLambdaShrinksTheExampleSolution() {
        double[] small = (double[]) run(Map.of("lambda", "0.01")).answer("exampleW");
        double[] large = (double[]) run(Map.of("lambda", "5")).answer("exampleW");
        assertThat(Math.hypot(large[0], large[1])).isLessThan(Math.hypot(small[0], small[1]));
    }
}
