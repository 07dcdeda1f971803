package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeBenchmarkExperimentTest {
    @TempDir
    Path results;

    @Test
    void timesBertFrozensEncodingAndBareOnnxRuntimeOnTheSameBatches() {
        assertThat(new EncodeBenchmarkExperiment(PlatformConfig.fromSystem()).spec().benchmark()).isTrue();
        ExperimentResult r = ExperimentTestKit.quick(new EncodeBenchmarkExperiment(PlatformConfig.fromSystem())).plugin("bert")
                .in(results).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        VerbalArithmetic.Split split = VerbalArithmetic.split(1);
        assertThat(r.answer("sequences")).isEqualTo(split.train().size() + split.test().size());
        assertThat(r.answer("encoder")).isEqualTo(EncoderFolder.EMBEDDED_NAME);
        assertThat(r.series("sequencesPerSecond")).hasSize(2);
        assertThat(r.series("bareSequencesPerSecond")).hasSize(2);
        assertThat(r.metric("sequencesPerSecond")).isPositive();
        // the median over the two passes of dlx's throughput over the bare loop's: their mean
        double expected = 0;
        for (int pass = 0; pass < 2; pass++) {
            expected += r.series("sequencesPerSecond").get(pass)[1] / r.series("bareSequencesPerSecond").get(pass)[1] / 2;
        }
        assertThat(r.metric("throughputRatio")).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(r.answers()).containsKeys("executionProvider", "sessionOptions", "threads");
    }
}
