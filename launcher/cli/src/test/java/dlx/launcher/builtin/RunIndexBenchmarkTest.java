package dlx.launcher.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Profile;
import dlx.engine.ExperimentResult;
import dlx.engine.ExperimentRunner;
import dlx.engine.RunSettings;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunIndexBenchmarkTest {
    @TempDir
    Path out;

    @Test
    void readsEveryGeneratedRunAndCleansUp() throws Exception {
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(out, new SimpleMeterRegistry(),
                new PlatformConfig(Map.of(), new Properties()).dataLocations()))
                .run(new RunIndexBenchmark(), "platform", Map.of("runs", "120", "repeats", "2"), Profile.QUICK);
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("generatedRuns")).isEqualTo(120);
        assertThat(r.metric("runsPerSecond")).isPositive();
        assertThat(r.series("scanSeconds")).hasSize(2);
        try (var left = Files.list(out.resolve("platform.bench-run-index").resolve(r.runId()))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("store-"));
        }
    }
}
