package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RnnGradientsExperimentTest {
    private static final Labels INSIDE = Labels.of("rnns", "inside");
    private static final Labels OUTSIDE = Labels.of("rnns", "outside");

    @TempDir
    Path tempDir;

    private ExperimentResult run(Map<String, String> params) {
        return ExperimentTestKit.quick(new RnnGradientsExperiment()).params(params).in(tempDir).run();
    }

    @Test
    void jacobianNormStaysBelowDeltaToTheT() {
        ExperimentResult r = run(Map.of());
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("boundHolds")).isEqualTo(true);
        List<double[]> norms = r.series("jacobianNormByT", INSIDE);
        assertThat(norms).hasSize(30);
        for (double[] pt : norms) {
            assertThat(pt[1]).isLessThanOrEqualTo(Math.pow(0.9, pt[0]) * (1 + 1e-12));
        }
        // Vanishes: after 30 steps at most 0.9^30 ~ 0.042.
        assertThat(norms.get(29)[1]).isLessThan(0.05);
        assertThat(r.metric("recursionResidual")).isLessThan(1e-12);
        assertThat(r.metric("jacobianFiniteDifferenceError")).isLessThan(1e-6);
        assertThat(r.metric("lambdaRatio", INSIDE)).isLessThanOrEqualTo(1 + 1e-9);
        // outsideFactor 1.6: sqrt(lambda_1(W^T W)) = 1.6 delta / gamma.
        assertThat(r.metric("lambdaRatio", OUTSIDE)).isCloseTo(1.6 * 1.6, within(1e-9));
        assertThat(r.series("jacobianNormByT", OUTSIDE)).hasSize(30);
        // Outside the bound the Jacobian is not held below delta^T.
        @SuppressWarnings("unchecked")
        Map<String, Object> above = (Map<String, Object>) r.answer("stepsAboveDeltaPowT");
        assertThat((Integer) above.get("outside")).isPositive();
        assertThat(above.get("inside")).isEqualTo(0);
        assertThat(r.artifacts()).contains("jacobian-norm.png");
    }

    @Test
    void sigmoidHasTheLooserGammaAndStillObeysTheBound() {
        ExperimentResult r = run(Map.of("activation", "sigmoid", "delta", "0.8"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("gamma")).isEqualTo(0.25);
        assertThat(r.answer("boundHolds")).isEqualTo(true);
    }
}
