package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.testkit.ParameterProbe;
import org.junit.jupiter.api.Test;

/** Every parameter of every experiment: wrong type, empty, non-finite and out-of-range values are refused up front, bounds accepted. */
class ParameterValidationTest {
    @Test
    void everyBadValueIsRefusedBeforeAnythingRuns() {
        assertThat(ParameterProbe.problems(new ClipPlugin())).isEmpty();
    }
}
