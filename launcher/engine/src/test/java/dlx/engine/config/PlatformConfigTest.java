package dlx.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Typed keys: a system property beats the environment, which beats the default; a value of the
 * wrong type is refused naming the key and its source.
 */
class PlatformConfigTest {
    private static PlatformConfig config(Map<String, String> env, String property) {
        Properties p = new Properties();
        if (property != null) {
            p.setProperty("dlx.worker", property);
        }
        return new PlatformConfig(env, p);
    }

    @Test
    void theWorkerIsOnByDefaultAndEitherSourceTurnsItOff() {
        assertThat(config(Map.of(), null).worker()).isTrue();
        assertThat(config(Map.of("DLX_WORKER", "false"), null).worker()).isFalse();
        assertThat(config(Map.of("DLX_WORKER", "false"), "TRUE").worker()).isTrue();
        assertThat(config(Map.of(), " False ").worker()).isFalse();
        assertThat(config(Map.of(), null).all()).anySatisfy(e -> {
            assertThat(e.key()).isEqualTo(PlatformConfig.WORKER);
            assertThat(e.value()).isEqualTo("true");
            assertThat(e.source()).isEqualTo("default");
        });
    }

    @Test
    void anotherValueIsRefusedNamingTheKeyAndItsSource() {
        assertThatThrownBy(() -> config(Map.of("DLX_WORKER", "maybe"), null).worker())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("worker 'maybe' (from environment DLX_WORKER) must be true or false");
        assertThatThrownBy(() -> config(Map.of(), "0").worker())
                .hasMessage("worker '0' (from property dlx.worker) must be true or false");
    }

    @Test
    void theOnnxRuntimeSettingsAreKeysWithDefaults() {
        PlatformConfig defaults = config(Map.of(), null);
        assertThat(defaults.ortThreads()).isZero();
        assertThat(defaults.ortSpinning()).isFalse();
        Properties p = new Properties();
        p.setProperty("dlx.ort.threads", "4");
        PlatformConfig set = new PlatformConfig(Map.of("DLX_ORT_THREADS", "2", "DLX_ORT_SPINNING", "true"), p);
        assertThat(set.ortThreads()).isEqualTo(4);
        assertThat(set.ortSpinning()).isTrue();
        assertThat(defaults.all()).extracting(e -> e.key().name()).contains("ort.threads", "ort.spinning", "vision.vector-api");
    }

    @Test
    void checkRefusesTheFirstBadTypedValueBeforeAnythingRuns() {
        config(Map.of(), null).check();
        assertThatThrownBy(() -> config(Map.of("DLX_ORT_THREADS", "-1"), null).check())
                .hasMessage("ort.threads '-1' (from environment DLX_ORT_THREADS) must be a thread count >= 0 (0: ONNX Runtime's default)");
        assertThatThrownBy(() -> config(Map.of("DLX_ORT_THREADS", "two"), null).check())
                .hasMessageStartingWith("ort.threads 'two'");
        assertThatThrownBy(() -> config(Map.of("DLX_ORT_SPINNING", "yes"), null).check())
                .hasMessage("ort.spinning 'yes' (from environment DLX_ORT_SPINNING) must be true or false");
        assertThatThrownBy(() -> config(Map.of("DLX_VISION_VECTOR_API", "off"), null).check())
                .hasMessage("vision.vector-api 'off' (from environment DLX_VISION_VECTOR_API) must be true or false");
        assertThatThrownBy(() -> config(Map.of("DLX_PLUGIN_TIMEOUT", "0"), null).check())
                .hasMessageStartingWith("plugin.timeout '0'");
    }
}
