package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.kit.data.FashionMnist;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeBenchmarkExperimentTest {
    @TempDir
    Path results;

    @Test
    void timesDlxAndBareOnnxRuntimeOnTheSameBatches() {
        assumeThat(Files.isDirectory(FashionMnist.DEBIAN_DIR) || PlatformConfig.fromSystem().dataLocations().userDataDir().isPresent())
                .as("Fashion-MNIST installed").isTrue();
        ExperimentResult r = ExperimentTestKit.quick(new EncodeBenchmarkExperiment(Fixtures.noModelConfigured()))
                .param("images", 40).param("texts", 20).param("batchSize", 16).plugin("clip").in(results).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(new EncodeBenchmarkExperiment(Fixtures.noModelConfigured()).spec().benchmark()).isTrue();
        for (String kind : new String[] {"images", "texts"}) {
            String capitalised = kind.substring(0, 1).toUpperCase() + kind.substring(1);
            String one = kind.substring(0, kind.length() - 1);
            String[] series = {kind + "PerSecond", kind + "PerSecondPrepared", "bare" + capitalised + "PerSecond"};
            for (String name : series) {
                assertThat(r.series(name)).as(name).hasSize(2);
                assertThat(r.metric(name)).as(name).isPositive();
            }
            // ratios: medians over the two passes (their mean) of dlx's throughput over the bare loop's
            double whole = 0;
            double prepared = 0;
            for (int pass = 0; pass < 2; pass++) {
                double bare = r.series(series[2]).get(pass)[1];
                whole += r.series(series[0]).get(pass)[1] / bare / 2;
                prepared += r.series(series[1]).get(pass)[1] / bare / 2;
            }
            assertThat(r.metric(one + "ThroughputRatio")).isCloseTo(whole, Percentage.withPercentage(1e-9));
            assertThat(r.metric(one + "InferenceRatio")).isCloseTo(prepared, Percentage.withPercentage(1e-9));
        }
        assertThat(r.answers()).containsKeys("executionProvider", "sessionOptions", "threads");
        assertThat(r.answer("model")).isEqualTo("embedded fashion-clip");
    }
}
