package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    @Test
    void decoupledDecayMatchesL2AtTwiceEtaGammaAndAdamWDecaysUniformly() {
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(new WeightDecayExperiment(), "theory", Map.of("profile", "quick"), Profile.QUICK);
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
        assertThat(r.metric("shrinkAdamL2Small")).isGreaterThan(3 * r.metric("shrinkAdamL2Large"));
        // AdamW: E[θ_K]/θ₀ = (1 − ηλ)^K with η = 1e-3, λ = 0.1, K = 1000.
        double closed = Math.pow(1 - 1e-3 * 0.1, 1000);
        assertThat(1 - r.metric("shrinkAdamWSmall")).isCloseTo(closed, within(0.02));
        assertThat(1 - r.metric("shrinkAdamWLarge")).isCloseTo(closed, within(0.02));
        assertThat(Files.exists(tempDir.resolve("theory.weight-decay").resolve("result.json"))).isTrue();
    }
}
