package dlx.launcher.report;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Profile;
import dlx.engine.ExperimentResult;
import dlx.engine.ExperimentRunner;
import dlx.engine.RunSettings;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.builtin.ReportBenchmark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code platform.bench-report} builds the report of every generated run and cleans up (timings are not asserted). */
class ReportBenchmarkTest {
    @TempDir
    Path out;

    @Test
    void buildsTheReportOfEveryGeneratedRunAndCleansUp() throws Exception {
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(out, new SimpleMeterRegistry(),
                new PlatformConfig(Map.of(), new Properties()).dataLocations()))
                .run(new ReportBenchmark(), "platform", Map.of("runs", "60", "repeats", "2"), Profile.QUICK);
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("generatedRuns")).isEqualTo(60);
        assertThat(r.metric("runsPerSecond")).isPositive();
        assertThat(r.series("buildSeconds")).hasSize(2);
        try (var left = Files.list(out.resolve("platform.bench-report").resolve(r.runId()))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("store-"));
        }
    }
}
