package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.api.Experiment;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RidgeFgsmExperimentTest {

    @TempDir
    Path tempDir;

    @Test
    void epsilonDoesNotDependOnLambdaUnderFgsm() {
        ExperimentResult r = ExperimentTestKit.quick(new RidgeFgsmExperiment()).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.OK);

        double w = RidgeFgmEpsilonExperimentTest.ridgeWeightBySearch(new double[] {1, 2}, new double[] {1, 3}, 0.1);
        // f(x − ε sgn w) = w x − ε|w| = 0  ⇒  ε = x sgn(w).
        assertThat((Double) r.answer("exampleEpsilon")).isCloseTo(1.5 * Math.signum(w), within(1e-9));
        assertThat(r.answer("moreRobustWithWeightDecay")).isEqualTo(false);
        @SuppressWarnings("unchecked")
        List<double[]> curve = (List<double[]>) r.answer("epsilonByLambda");
        assertThat(curve).isNotEmpty().allSatisfy(p -> assertThat(p[1]).isCloseTo(1.5, within(1e-9)));
        assertThat(r.metric("epsilonMaxRelResidual")).isLessThan(1e-8);
        assertThat(Files.exists(tempDir.resolve("theory.ridge-fgsm").resolve(r.runId()).resolve("result.json"))).isTrue();
    }

    @Test
    void fgsmNeedsMoreEpsilonThanFgmWithoutWeightDecayButLessWithStrongDecay() {
        double fgm = exampleEpsilon(new RidgeFgmEpsilonExperiment(), 0);
        double fgsm = exampleEpsilon(new RidgeFgsmExperiment(), 0);
        // Without decay w* = 7/5 > 1, so the gradient step ε·w* is longer than the sign step ε.
        assertThat(fgm).isLessThan(fgsm);
        double fgmStrong = exampleEpsilon(new RidgeFgmEpsilonExperiment(), 2);
        assertThat(fgmStrong).isGreaterThan(fgsm);
    }

    private double exampleEpsilon(Experiment attack, double lambda) {
        return (Double) ExperimentTestKit.quick(attack).param("lambda", lambda).in(tempDir).run().answer("exampleEpsilon");
    }
}
