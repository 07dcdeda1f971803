package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NqmBatchSizeExperimentTest {

    @TempDir
    Path tempDir;

    /** Expected loss after k steps by iterating the moment recursion m ← (1 − ηa)²m + η²σ²/B. */
    private static double expectedLossByRecursion(double eta, double batch, int k) {
        double m = 1;
        for (int i = 0; i < k; i++) {
            m = (1 - eta) * (1 - eta) * m + eta * eta / batch;
        }
        return 0.5 * m;
    }

    @Test
    void optimalLearningRateGrowsWithBatchSizeAndIsAGridOptimum() {
        ExperimentResult r = ExperimentTestKit.quick(new NqmBatchSizeExperiment()).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.OK);

        @SuppressWarnings("unchecked")
        List<double[]> optimal = (List<double[]>) r.answer("optimalLrByBatch");
        assertThat(optimal).hasSize(13);
        for (int i = 1; i < optimal.size(); i++) {
            assertThat(optimal.get(i)[1]).isGreaterThan(optimal.get(i - 1)[1]);
        }
        // Below the noise-free optimum 1/a = 1.
        assertThat(optimal).allSatisfy(p -> assertThat(p[1]).isLessThan(1));
        // Each η* beats a fine grid of the independently iterated recursion (a = σ² = w₀ = 1, k = 10).
        for (double[] p : List.of(optimal.get(0), optimal.get(6), optimal.get(12))) {
            double atOptimum = expectedLossByRecursion(p[1], p[0], 10);
            for (int g = 1; g < 2000; g++) {
                assertThat(atOptimum).isLessThanOrEqualTo(expectedLossByRecursion(g / 1000.0, p[0], 10) + 1e-15);
            }
        }
        assertThat(r.answer("optimalLrIncreasesWithBatch")).isEqualTo(true);
        assertThat((String) r.answer("trend")).contains("increases");
        assertThat(r.metric("monteCarloRunsPerPoint")).isEqualTo(10_000);
        assertThat(r.metric("monteCarloMaxRelErr")).isLessThan(r.metric("monteCarloTolerance"));
        assertThat(r.metric("simulatedOptimumViolations")).isZero();
        Path dir = tempDir.resolve("theory.nqm-batch-size").resolve(r.runId());
        assertThat(Files.exists(dir.resolve("result.json"))).isTrue();
        assertThat(Files.exists(dir.resolve("optimal-lr-by-batch.png"))).isTrue();
    }
}
