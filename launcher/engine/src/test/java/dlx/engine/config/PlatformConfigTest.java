package dlx.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The worker key: a system property beats the environment, which beats the default; anything but true/false is refused by name. */
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
}
