package dlx.kit.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import dlx.api.Configuration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CPU session options every ONNX Runtime session of the kit gets, from the platform's configuration. */
class OrtSettingsTest {
    private static Configuration config(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    @Test
    void poolThreadsDoNotSpinAndTheirNumberIsOnnxRuntimesUnlessConfigured() throws Exception {
        OrtSettings unset = OrtSettings.from(config(Map.of()));
        assertThat(unset).isEqualTo(OrtSettings.DEFAULTS);
        assertThat(unset.describe()).contains("allow_spinning=0", "ONNX Runtime's default");
        try (OrtSession.SessionOptions o = unset.cpuOptions()) {
            assertThat(o.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "0");
        }
        OrtSettings set = OrtSettings.from(config(Map.of("ort.threads", "3", "ort.spinning", " TRUE ")));
        assertThat(set).isEqualTo(new OrtSettings(3, true));
        assertThat(set.describe()).contains("intra-op threads 3", "allow_spinning=1");
        try (OrtSession.SessionOptions o = set.cpuOptions()) {
            assertThat(o.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "1");
        }
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithItsKeyNamed() {
        assertThatThrownBy(() -> OrtSettings.from(config(Map.of("ort.threads", "-2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ort.threads -2").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> OrtSettings.from(config(Map.of("ort.threads", "many"))))
                .hasMessageContaining("ort.threads 'many'");
        assertThatThrownBy(() -> OrtSettings.from(config(Map.of("ort.spinning", "1"))))
                .hasMessage("ort.spinning '1': expected true or false");
    }
}
