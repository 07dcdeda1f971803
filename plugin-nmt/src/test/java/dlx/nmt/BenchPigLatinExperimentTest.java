package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPigLatinExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void isABenchmarkAndReportsPositiveThroughput() {
        BenchPigLatinExperiment bench = new BenchPigLatinExperiment();
        assertThat(bench.spec().benchmark()).isTrue();
        assertThat(new NmtPlugin().experiments()).contains(BenchPigLatinExperiment.class);
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(bench, "nmt", Map.of("profile", "quick", "steps", "5", "warmupSteps", "2"), Profile.QUICK);
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("tokensPerSecond")).isPositive();
        assertThat(r.metric("msPerStep")).isPositive();
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(BenchPigLatinExperiment.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(BenchPigLatinExperiment.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
