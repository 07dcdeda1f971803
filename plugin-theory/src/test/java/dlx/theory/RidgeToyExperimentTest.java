package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RidgeToyExperimentTest {

    @TempDir
    Path tempDir;

    @Test
    void minimumNormPointIsTheProjectionOfTheOriginOntoTheSolutionLine() throws Exception {
        ExperimentResult r = ExperimentTestKit.quick(new RidgeToyExperiment()).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.OK);

        // Both examples give a·w = 1 with a = (1, 1); the closest point to 0 is a / |a|².
        double[] a = {1, 1};
        double norm2 = a[0] * a[0] + a[1] * a[1];
        double[] minNorm = (double[]) r.answer("minNormPoint");
        assertThat(minNorm[0]).isCloseTo(a[0] / norm2, within(1e-12));
        assertThat(minNorm[1]).isCloseTo(a[1] / norm2, within(1e-12));

        assertThat(r.answer("leastSquaresUnique")).isEqualTo(false);
        assertThat(r.answer("ridgeUniqueFromAnyStart")).isEqualTo(true);
        assertThat(r.metric("pinvResidual")).isLessThan(1e-9);
        assertThat(r.metric("gradientDescentFromZeroResidual")).isLessThan(1e-9);
        assertThat(r.metric("ridgeUniquenessResidual")).isLessThan(1e-9);

        // The ridge path moves towards the minimum-norm point as λ decreases.
        List<double[]> path = r.series("ridgeW1ByLambda");
        for (int i = 1; i < path.size(); i++) {
            assertThat(path.get(i)[1]).isLessThan(path.get(i - 1)[1]);
        }
        assertThat(path.get(0)[1]).isCloseTo(0.5, within(1e-3));
        // In weight space the path lies on the diagonal w1 = w2, at the w1 of the same λ.
        List<double[]> weights = r.series(RidgeToyExperiment.PATH);
        assertThat(weights).hasSameSizeAs(path);
        for (int i = 0; i < path.size(); i++) {
            assertThat(weights.get(i)[0]).isCloseTo(path.get(i)[1], within(1e-15));
            assertThat(weights.get(i)[1]).isCloseTo(weights.get(i)[0], within(1e-12));
        }

        Path dir = tempDir.resolve("theory.ridge-toy").resolve(r.runId());
        assertThat(Files.exists(dir.resolve("result.json"))).isTrue();
        assertThat(Files.size(dir.resolve("ridge-toy.png"))).isGreaterThan(1000);
        assertThat(r.artifacts()).contains("ridge-toy.png", "ridge-path.png");
    }
}
