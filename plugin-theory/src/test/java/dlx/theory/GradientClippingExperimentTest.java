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

class GradientClippingExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void clippingByNormShortensTheGradientAndByValueTurnsIt() {
        double[] g = {3, 4};
        // ||g|| = 5: by norm with c = 1 gives g/5, the same direction.
        assertThat(GradientClippingExperiment.byNorm(g, 1)).containsExactly(new double[] {0.6, 0.8}, within(1e-15));
        assertThat(GradientClippingExperiment.cosine(g, GradientClippingExperiment.byNorm(g, 1))).isCloseTo(1, within(1e-15));
        // Below the threshold nothing changes.
        assertThat(GradientClippingExperiment.byNorm(g, 10)).containsExactly(3, 4);
        // By value with c = 1 both components become 1: cos = (3 + 4) / (5 sqrt 2).
        assertThat(GradientClippingExperiment.byValue(g, 1)).containsExactly(1, 1);
        assertThat(GradientClippingExperiment.cosine(g, GradientClippingExperiment.byValue(g, 1)))
                .isCloseTo(7 / (5 * Math.sqrt(2)), within(1e-15));
        // Only the large component is clipped: (0.5, 4) -> (0.5, 1).
        double[] h = {0.5, -4};
        assertThat(GradientClippingExperiment.byValue(h, 1)).containsExactly(0.5, -1);
        assertThat(GradientClippingExperiment.cosine(h, GradientClippingExperiment.byValue(h, 1)))
                .isCloseTo((0.25 + 4) / (Math.sqrt(16.25) * Math.sqrt(1.25)), within(1e-15));
        assertThat(GradientClippingExperiment.clippedFraction(h, 1)).isEqualTo(0.5);
    }

    @Test
    void anExplodingRnnTrainedWithoutClippingByNormAndByValue() {
        ExperimentResult r = ExperimentTestKit.quick(new GradientClippingExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        int params = 16 * 16 + 3 * 16;
        assertThat(r.answer("parameters")).isEqualTo(params);
        assertThat((Double) r.answer("valueThreshold")).isCloseTo(1 / Math.sqrt(params), within(1e-15));
        // The gradient of the chaotic RNN grows with T; the contracting one's does not.
        List<double[]> exploding = r.series("gradNormByT", Labels.of("gain", "3"));
        List<double[]> contracting = r.series("gradNormByT", Labels.of("gain", "0.5"));
        assertThat(exploding).hasSize(40);
        assertThat(exploding.get(39)[1]).isGreaterThan(100 * contracting.get(39)[1]);
        assertThat(exploding.get(39)[1]).isGreaterThan(10 * exploding.get(4)[1]);
        // At the first step the gradient is longer than c = 1, so both clippings act.
        assertThat((Double) r.answer("gradientNorm")).isGreaterThan(1);
        assertThat((Double) r.answer("normClipCosine")).isCloseTo(1, within(1e-12));
        double cosValue = (Double) r.answer("valueClipCosine");
        assertThat(cosValue).isBetween(0.0, 0.999);
        assertThat((Double) r.answer("valueClipAngleDegrees")).isCloseTo(Math.toDegrees(Math.acos(cosValue)), within(1e-9));
        assertThat(r.answer("normKeepsDirection")).isEqualTo(true);
        assertThat(r.answer("valueKeepsDirection")).isEqualTo(false);
        // The loss falls along the value-clipped direction cos times as fast as along the gradient.
        assertThat((Double) r.answer("decreaseRatio")).isCloseTo(cosValue, within(1e-6));
        for (String check : List.of("normClipCosineResidual", "normClipLengthResidual", "valueClipBoundExcess",
                "gradientFiniteDifferenceError", "decreaseRatioResidual")) {
            assertThat(r.metrics()).containsKey(check);
        }
        // Training: the answers follow from each run's loss curve.
        for (String method : GradientClippingExperiment.METHODS) {
            Labels labels = Labels.of("clipping", method);
            List<double[]> loss = r.series("trainLoss", labels);
            int blowUp = 0;
            for (double[] pt : loss) {
                if (blowUp == 0 && pt[1] > GradientClippingExperiment.BLOW_UP_FACTOR * loss.get(0)[1]) {
                    blowUp = (int) pt[0];
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> diverged = (Map<String, Object>) r.answer("diverged");
            @SuppressWarnings("unchecked")
            Map<String, Integer> blowUpStep = (Map<String, Integer>) r.answer("blowUpStep");
            if (loss.size() < 200) {
                // The run stopped when its loss stopped being a number.
                assertThat(diverged.get(method)).isEqualTo(true);
                assertThat(blowUpStep.get(method)).isEqualTo(blowUp == 0 ? loss.size() + 1 : blowUp);
            } else {
                assertThat(blowUpStep.get(method)).isEqualTo(blowUp);
            }
            if (!method.equals("none")) {
                // A clipped step is at most lr * c long: 200 of them cannot blow the weights up.
                assertThat(loss).hasSize(200);
                assertThat(diverged.get(method)).isEqualTo(false);
                assertThat(r.metric("finalValLoss", labels)).isLessThan(r.metric("initialValLoss"));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Double> meanCosine = (Map<String, Double>) r.answer("meanCosine");
        assertThat(meanCosine.get("norm")).isCloseTo(1, within(1e-12));
        assertThat(meanCosine.get("value")).isLessThan(1);
        assertThat(r.answer("conclusion")).asString().contains("Clipped by norm");
        assertThat(r.artifacts()).contains("train-loss.png", "grad-norm-by-t.png");
    }
}
