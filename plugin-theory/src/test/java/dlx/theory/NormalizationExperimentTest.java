package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizationExperimentTest {
    @TempDir
    Path tempDir;

    /** The catalogue's tensor, typed again here (batch x channels x features). */
    private static final double[][][] X = {
            {{2, 4, 3}, {2, 1, 2}},
            {{1, 2, 3}, {4, 1, 1}},
            {{2, 1, 3}, {3, 2, 4}},
            {{1, 4, 2}, {2, 4, 3}}};

    @Test
    void statisticsMatchPlainLoops() {
        ExperimentResult r = ExperimentTestKit.quick(new NormalizationExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);

        double[] muBatch = (double[]) r.answer("muBatch");
        double[] varBatch = (double[]) r.answer("varBatch");
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            int count = 0;
            for (int b = 0; b < 4; b++) {
                for (int f = 0; f < 3; f++) {
                    sum += X[b][c][f];
                    count++;
                }
            }
            double mean = sum / count;
            double sq = 0;
            for (int b = 0; b < 4; b++) {
                for (int f = 0; f < 3; f++) {
                    sq += (X[b][c][f] - mean) * (X[b][c][f] - mean);
                }
            }
            assertThat(muBatch[c]).isCloseTo(mean, within(1e-12));
            assertThat(varBatch[c]).isCloseTo(sq / count, within(1e-12));
        }
        // Channel 0 holds 2,4,3,1,2,3,2,1,3,1,4,2: sum 28 over 12 values.
        assertThat(muBatch[0]).isCloseTo(28.0 / 12, within(1e-12));

        double[] muLayer = (double[]) r.answer("muLayer");
        double[] varLayer = (double[]) r.answer("varLayer");
        double[][] muInstance = (double[][]) r.answer("muInstance");
        double[][] varInstance = (double[][]) r.answer("varInstance");
        for (int b = 0; b < 4; b++) {
            double sum = 0;
            for (int c = 0; c < 2; c++) {
                for (int f = 0; f < 3; f++) {
                    sum += X[b][c][f];
                }
            }
            double mean = sum / 6;
            double sq = 0;
            for (int c = 0; c < 2; c++) {
                double s = 0;
                for (int f = 0; f < 3; f++) {
                    sq += (X[b][c][f] - mean) * (X[b][c][f] - mean);
                    s += X[b][c][f];
                }
                double mi = s / 3;
                double vi = 0;
                for (int f = 0; f < 3; f++) {
                    vi += (X[b][c][f] - mi) * (X[b][c][f] - mi);
                }
                assertThat(muInstance[b][c]).isCloseTo(mi, within(1e-12));
                assertThat(varInstance[b][c]).isCloseTo(vi / 3, within(1e-12));
            }
            assertThat(muLayer[b]).isCloseTo(mean, within(1e-12));
            assertThat(varLayer[b]).isCloseTo(sq / 6, within(1e-12));
        }
        assertThat(r.metric("welfordMaxAbsResidual")).isLessThan(1e-12);
    }
}
