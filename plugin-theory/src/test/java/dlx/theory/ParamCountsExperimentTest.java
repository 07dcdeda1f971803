package dlx.theory;

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

class ParamCountsExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void countsTheDjlModelsAsTheLayerShapesSay() {
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(new ParamCountsExperiment(), "theory", Map.of("profile", "quick"), Profile.QUICK);
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        // 784 -> 128 -> 10.
        assertThat(((Number) r.answer("mlp")).longValue()).isEqualTo(784 * 128 + 128 + 128 * 10 + 10);
        // 64 7x7 kernels on 28x28 -> 22x22 -> pool 11x11 -> dense 10.
        assertThat(((Number) r.answer("cnn2")).longValue()).isEqualTo(7 * 7 * 64 + 64 + 64 * 11 * 11 * 10 + 10);
        // + 64 -> 128 2x2 conv: 11 -> 10 -> pool 5 -> dense 10.
        assertThat(((Number) r.answer("cnn3")).longValue())
                .isEqualTo(7 * 7 * 64 + 64 + 64 * 2 * 2 * 128 + 128 + 128 * 5 * 5 * 10 + 10);
        assertThat((String) r.answer("mlpArithmetic")).isEqualTo("784*128+128 + 128*10+10 = 100480 + 1290 = 101770");
        assertThat((String) r.answer("cnn3Arithmetic")).endsWith("total 68106");
        assertThat(r.metric("mlpCountResidual")).isZero();
        assertThat(r.metric("cnn2CountResidual")).isZero();
        assertThat(r.metric("cnn3CountResidual")).isZero();
        assertThat(r.answer("cnn2OutputShape").toString()).contains("10");
        assertThat(r.device()).contains("cpu");
    }
}
