package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPigLatinExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void isABenchmarkAndReportsPositiveThroughputOfTheTimedSteps() {
        BenchPigLatinExperiment bench = new BenchPigLatinExperiment();
        assertThat(bench.spec().benchmark()).isTrue();
        assertThat(new NmtPlugin().experiments()).contains(BenchPigLatinExperiment.class);
        ExperimentResult r = ExperimentTestKit.quick(bench).param("steps", 5).param("warmupSteps", 2).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("tokensPerSecond")).isPositive();
        assertThat(r.metric("msPerStep")).isPositive();
        // Only the 5 steps after the 2 warm-up steps are timed; a batch has at most 64 pairs of < 80 tokens.
        assertThat(r.series("tokensPerSecondByStep")).extracting(p -> p[0]).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(r.metric("timedTokens")).isBetween(5.0, 5 * 64 * 80.0);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(BenchPigLatinExperiment.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(BenchPigLatinExperiment.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
