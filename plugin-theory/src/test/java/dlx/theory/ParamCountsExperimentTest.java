package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParamCountsExperimentTest {
    @TempDir
    Path tempDir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> byModel(ExperimentResult r, String key) {
        return (Map<String, Object>) r.answer(key);
    }

    @Test
    void countsTheDjlModelsAsTheLayerShapesSay() {
        ExperimentResult r = ExperimentTestKit.quick(new ParamCountsExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        // 784 -> 128 -> 10.
        assertThat(((Number) r.answer("mlp")).longValue()).isEqualTo(784 * 128 + 128 + 128 * 10 + 10);
        // 64 7x7 kernels on 28x28 -> 22x22 -> pool 11x11 -> dense 10.
        assertThat(((Number) r.answer("cnn2")).longValue()).isEqualTo(7 * 7 * 64 + 64 + 64 * 11 * 11 * 10 + 10);
        // + 64 -> 128 2x2 conv: 11 -> 10 -> pool 5 -> dense 10.
        assertThat(((Number) r.answer("cnn3")).longValue())
                .isEqualTo(7 * 7 * 64 + 64 + 64 * 2 * 2 * 128 + 128 + 128 * 5 * 5 * 10 + 10);
        Map<String, Object> arithmetic = byModel(r, "arithmetic");
        assertThat(arithmetic.get("mlp")).isEqualTo("784*128+128 + 128*10+10 = 100480 + 1290 = 101770");
        assertThat((String) arithmetic.get("cnn3")).endsWith("total 68106");
        for (String model : new String[] {"mlp", "cnn2", "cnn3"}) {
            assertThat(r.metric("countResidual", Labels.of("model", model))).isZero();
            assertThat(byModel(r, "parameterShapes")).containsKey(model);
        }
        assertThat(byModel(r, "outputShape").get("cnn2").toString()).contains("10");
        assertThat(r.device()).contains("cpu");
    }
}
