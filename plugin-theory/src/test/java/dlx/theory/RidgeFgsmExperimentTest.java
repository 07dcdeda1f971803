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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RidgeFgsmExperimentTest {

    @TempDir
    Path tempDir;

    @Test
    void epsilonDoesNotDependOnLambdaUnderFgsm() {
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(new RidgeFgsmExperiment(), "theory", Map.of("profile", "quick"), Profile.QUICK);
        assertThat(r.status()).isEqualTo(Status.OK);

        double w = RidgeFgmEpsilonExperimentTest.ridgeWeightBySearch(new double[] {1, 2}, new double[] {1, 3}, 0.1);
        // f(x − ε sgn w) = w x − ε|w| = 0  ⇒  ε = x sgn(w).
        assertThat((Double) r.answer("exampleEpsilon")).isCloseTo(1.5 * Math.signum(w), within(1e-9));
        assertThat(r.answer("moreRobustWithWeightDecay")).isEqualTo(false);
        @SuppressWarnings("unchecked")
        List<double[]> curve = (List<double[]>) r.answer("epsilonByLambda");
        assertThat(curve).isNotEmpty().allSatisfy(p -> assertThat(p[1]).isCloseTo(1.5, within(1e-9)));
        assertThat(r.metric("epsilonMaxRelResidual")).isLessThan(1e-8);
        assertThat(Files.exists(tempDir.resolve("theory.ridge-fgsm").resolve("result.json"))).isTrue();
    }

    @Test
    void fgsmNeedsMoreEpsilonThanFgmWithoutWeightDecayButLessWithStrongDecay() {
        ExperimentRunner runner = new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()));
        Map<String, String> noDecay = Map.of("profile", "quick", "lambda", "0");
        double fgm = (Double) runner.run(new RidgeFgmEpsilonExperiment(), "theory", noDecay, Profile.QUICK).answer("exampleEpsilon");
        double fgsm = (Double) runner.run(new RidgeFgsmExperiment(), "theory", noDecay, Profile.QUICK).answer("exampleEpsilon");
        // Without decay w* = 7/5 > 1, so the gradient step ε·w* is longer than the sign step ε.
        assertThat(fgm).isLessThan(fgsm);
        Map<String, String> strong = Map.of("profile", "quick", "lambda", "2");
        double fgmStrong = (Double) runner.run(new RidgeFgmEpsilonExperiment(), "theory", strong, Profile.QUICK).answer("exampleEpsilon");
        assertThat(fgmStrong).isGreaterThan(fgsm);
    }
}
