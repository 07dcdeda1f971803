package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RnnGradientsExperimentTest {
    @TempDir
    Path tempDir;

    private ExperimentResult run(Map<String, String> params) {
        return new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(new RnnGradientsExperiment(), "theory", params, Profile.QUICK);
    }

    @Test
    void jacobianNormStaysBelowDeltaToTheT() {
        ExperimentResult r = run(Map.of("profile", "quick"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("boundHolds")).isEqualTo(true);
        List<double[]> norms = r.series().get("jacobianNormByT");
        assertThat(norms).hasSize(30);
        for (double[] pt : norms) {
            assertThat(pt[1]).isLessThanOrEqualTo(Math.pow(0.9, pt[0]) * (1 + 1e-12));
        }
        // Vanishes: after 30 steps at most 0.9^30 ~ 0.042.
        assertThat(norms.get(29)[1]).isLessThan(0.05);
        assertThat(r.metric("recursionResidual")).isLessThan(1e-12);
        assertThat(r.metric("jacobianFiniteDifferenceError")).isLessThan(1e-6);
        assertThat(r.metric("lambdaRatioInside")).isLessThanOrEqualTo(1 + 1e-9);
        assertThat(r.series()).containsKey("jacobianNormByTOutside");
        // Outside the bound the Jacobian is not held below delta^T.
        assertThat((Integer) r.answer("outsideStepsAboveDeltaPowT")).isPositive();
        assertThat(r.artifacts()).contains("jacobian-norm.png");
    }

    @Test
    void sigmoidHasTheLooserGammaAndStillObeysTheBound() {
        ExperimentResult r = run(Map.of("profile", "quick", "activation", "sigmoid", "delta", "0.8"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("gamma")).isEqualTo(0.25);
        assertThat(r.answer("boundHolds")).isEqualTo(true);
    }
}
