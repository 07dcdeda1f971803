package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FgsmBoundExperimentTest {

    @TempDir
    Path tempDir;

    @Test
    void signStepHasNormEpsilonAndPlainStepScalesWithTheLargestWeight() {
        ExperimentResult r = ExperimentTestKit.quick(new FgsmBoundExperiment()).param("epsilon", 0.25).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.OK);

        assertThat((Double) r.answer("linfSign")).isCloseTo(0.25, within(1e-12));
        double winf = (Double) r.answer("exampleWLinf");
        assertThat((Double) r.answer("linfPlain")).isCloseTo(0.25 * winf, within(1e-6 * Math.max(1, winf)));
        assertThat((String) r.answer("equalWhen")).contains("‖w‖∞").contains("= 1");
        assertThat(r.metric("linfSignResidual")).isLessThan(1e-9);
        assertThat(r.metric("signMaximalityViolation")).isLessThan(1e-9);
        // w drawn with scales from 1e-2 to 1e2: the plain step leaves the ball for part of them, not all.
        assertThat(r.metric("plainOutsideBallFraction")).isBetween(0.2, 0.9);
        assertThat(Files.exists(tempDir.resolve("theory.fgsm-bound").resolve(r.runId()).resolve("result.json"))).isTrue();
    }

    @Test
    void signIsTheBestAttackInTheBallForAHandPickedWeightVector() {
        // w = (3, −0.5): the corners of the ε-box give wᵀδ ≤ ε(|3| + |−0.5|), reached by sgn(w).
        double eps = 0.1;
        double[] w = {3, -0.5};
        double best = Double.NEGATIVE_INFINITY;
        for (int s1 = -1; s1 <= 1; s1 += 2) {
            for (int s2 = -1; s2 <= 1; s2 += 2) {
                best = Math.max(best, w[0] * s1 * eps + w[1] * s2 * eps);
            }
        }
        double sign = FgsmBoundExperiment.f(w, new double[] {eps * Math.signum(w[0]), eps * Math.signum(w[1])});
        assertThat(sign).isCloseTo(best, within(1e-15)).isCloseTo(0.35, within(1e-12));
    }
}
