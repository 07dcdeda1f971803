package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightDecayExperimentTest {

    @TempDir
    Path tempDir;

    /** One SGD step on ½θ² + γθ² versus one decoupled step; the λ that makes them equal, by bisection. */
    private static double lambdaByBisection(double eta, double gamma) {
        double theta = 1.7;
        double l2Step = theta - eta * (theta + 2 * gamma * theta);
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            double decoupled = theta - eta * theta - mid * theta;
            if (decoupled > l2Step) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private static double shrink(ExperimentResult r, String optimiser, String gradients) {
        return r.metric("shrink", Labels.of("optimiser", optimiser, "gradients", gradients));
    }

    @Test
    void decoupledDecayMatchesL2AtTwiceEtaGammaAndAdamWDecaysUniformly() {
        ExperimentResult r = ExperimentTestKit.quick(new WeightDecayExperiment()).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.OK);

        double expected = lambdaByBisection(0.1, 0.01);
        assertThat((Double) r.answer("exampleLambda")).isCloseTo(expected, within(1e-12));
        assertThat((Double) r.answer("fittedLambda")).isCloseTo(expected, within(1e-6));
        assertThat((String) r.answer("lambdaFormula")).contains("2ηγ");
        assertThat(r.metric("sgdTrajectoryResidual")).isLessThan(1e-12);
        // The common wrong answer λ = ηγ does not reproduce the trajectory.
        assertThat(r.metric("mismatchIfLambdaIsEtaGamma")).isGreaterThan(1e-6);

        assertThat(r.answer("adamL2StrongerOn")).isEqualTo("small");
        assertThat(r.answer("adamWStrongerOn")).isEqualTo("equal");
        assertThat(shrink(r, "adamL2", "small")).isGreaterThan(3 * shrink(r, "adamL2", "large"));
        // AdamW: E[θ_K]/θ₀ = (1 − ηλ)^K with η = 1e-3, λ = 0.1, K = 1000.
        double closed = Math.pow(1 - 1e-3 * 0.1, 1000);
        assertThat(1 - shrink(r, "adamW", "small")).isCloseTo(closed, within(0.02));
        assertThat(1 - shrink(r, "adamW", "large")).isCloseTo(closed, within(0.02));
        // Every mean-θ curve starts at 1 and ends at 1 − shrink.
        for (String optimiser : new String[] {"adamL2", "adamW"}) {
            for (String gradients : new String[] {"small", "large"}) {
                List<double[]> curve = r.series("meanTheta", Labels.of("optimiser", optimiser, "gradients", gradients));
                assertThat(curve.get(0)[1]).isEqualTo(1.0);
                assertThat(curve.get(curve.size() - 1)[1]).isCloseTo(1 - shrink(r, optimiser, gradients), within(1e-12));
            }
        }
        assertThat(Files.exists(tempDir.resolve("theory.weight-decay").resolve(r.runId()).resolve("result.json"))).isTrue();
    }
}
