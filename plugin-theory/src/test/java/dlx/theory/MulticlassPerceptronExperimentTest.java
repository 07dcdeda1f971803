package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.kit.data.FashionMnist;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MulticlassPerceptronExperimentTest {
    @TempDir
    Path tempDir;

    private ExperimentResult run(Map<String, String> params) {
        return ExperimentTestKit.quick(new MulticlassPerceptronExperiment()).params(params).in(tempDir).run();
    }

    @Test
    void kernelVersionPredictsExactlyWhatThePrimalPredicts() throws Exception {
        ExperimentResult r = run(Map.of());
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("predictionsIdentical")).isEqualTo(true);
        assertThat(r.metric("predictionMismatches")).isZero();
        assertThat(r.metric("weightResidual")).isZero();
        double primal = (Double) r.answer("primalAccuracy");
        assertThat((Double) r.answer("kernelAccuracy")).isEqualTo(primal);
        assertThat(primal).isBetween(0.55, 0.95);

        // An independent primal perceptron on the [0,1] pixels (scale-invariant from zero) in double arithmetic.
        Path dir = FashionMnist.locate(java.util.Optional.empty(), PlatformConfig.fromSystem().dataLocations());
        FashionMnist.Splits s = FashionMnist.courseSplits(dir, 42, 1000, 0, 500);
        double[][] w = new double[10][FashionMnist.PIXELS];
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int i = 0; i < s.train().count(); i++) {
                float[] x = s.train().image(i);
                int pred = predict(w, x);
                int y = s.train().labels()[i];
                if (pred != y) {
                    for (int j = 0; j < x.length; j++) {
                        w[y][j] += x[j];
                        w[pred][j] -= x[j];
                    }
                }
            }
        }
        int correct = 0;
        for (int i = 0; i < s.test().count(); i++) {
            correct += predict(w, s.test().image(i)) == s.test().labels()[i] ? 1 : 0;
        }
        assertThat(primal).isCloseTo(correct / 500.0, within(0.02));
    }

    @Test
    void aDataDirWithoutTheFilesFailsTheRun() {
        ExperimentResult r = run(Map.of("dataDir", tempDir.toString()));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("does not hold the Fashion-MNIST files");
    }

    private static int predict(double[][] w, float[] x) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += w[k][j] * x[j];
            }
            if (s > bestScore) {
                bestScore = s;
                best = k;
            }
        }
        return best;
    }
}
