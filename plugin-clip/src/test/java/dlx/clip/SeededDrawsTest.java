package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.testkit.UnseededRandomness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Same seed, same numbers: Java's generators have no global seed, so every draw in the plugin's code must come from a seeded one. */
class SeededDrawsTest {
    @Test
    void everyDrawInThePluginsCodeIsSeeded() {
        assertThat(UnseededRandomness.in(Path.of("src/main/java"))).isEmpty();
    }
}
