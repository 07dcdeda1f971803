package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which models a vision.ood run trains. */
class OodExperimentTest {

    @Test
    void modelsAreTakenInTheStudysOrderAndUnknownNamesAreRefused() {
        assertThat(OodExperiment.models(List.of("cnn3", "mlp"))).containsExactly("mlp", "cnn3");
        assertThat(OodExperiment.models(List.of("cnn2"))).containsExactly("cnn2");
        assertThatThrownBy(() -> OodExperiment.models(List.of("cnn2", "resnet")))
                .hasMessageContaining("unknown model 'resnet'").hasMessageContaining("[mlp, cnn2, cnn3]");
        assertThatThrownBy(() -> OodExperiment.models(List.of())).hasMessageContaining("names no model");
    }
}
