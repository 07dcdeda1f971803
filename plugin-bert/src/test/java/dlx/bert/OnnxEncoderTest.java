package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Device;
import dlx.engine.config.PlatformConfig;
import dlx.kit.onnx.OrtSettings;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEncoderTest {
    static OnnxEncoder encoder;

    @BeforeAll
    static void open() throws Exception {
        encoder = OnnxEncoder.open(EncoderFolder.embedded(PlatformConfig.fromSystem().dataLocations().cacheDir()), Device.CPU,
                OrtSettings.DEFAULTS, l -> { });
    }

    @AfterAll
    static void close() throws Exception {
        encoder.close();
    }

    @Test
    void theEmbeddedEncoderIsAllMiniLmWithTokenTypes() {
        assertThat(encoder.folder().embedded()).isTrue();
        assertThat(encoder.folder().model()).isRegularFile().hasFileName("model.onnx");
        assertThat(encoder.inputNames()).containsExactlyInAnyOrder("input_ids", "attention_mask", "token_type_ids");
        assertThat(encoder.usesTokenTypes()).isTrue();
        assertThat(encoder.outputName()).isEqualTo("last_hidden_state");
        assertThat(encoder.provider()).isEqualTo("CPU");
    }

    @Test
    void tokenizerFramesWithClsAndSepAndPadsWithMasks() {
        OnnxEncoder.Batch b = encoder.tokenize(List.of("seven minus three", "twenty", "zero plus zero plus one"));
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.length()).isEqualTo(7); // [CLS] zero plus zero plus one [SEP]
        assertThat(b.ids()[0]).startsWith(101L).contains(102L);
        assertThat(b.mask()[0]).containsExactly(1, 1, 1, 1, 1, 0, 0);
        assertThat(b.mask()[1]).containsExactly(1, 1, 1, 0, 0, 0, 0);
        assertThat(b.ids()[1]).containsExactly(101, encoder.tokenize(List.of("twenty")).ids()[0][1], 102, 0, 0, 0, 0);
        assertThat(b.types()[2]).containsOnly(0L);
        assertThat(encoder.tokens("seven minus three")).containsExactly("[CLS]", "seven", "minus", "three", "[SEP]");
    }

    @Test
    void hiddenStateShapesAndBatchedAgreesWithSingle() throws Exception {
        List<String> texts = List.of("one plus one", "nineteen minus twenty", "zero plus zero plus zero plus zero", "ten");
        OnnxEncoder.Batch b = encoder.tokenize(texts);
        float[][][] h = encoder.hidden(b);
        assertThat(h).hasDimensions(4, b.length());
        assertThat(h[0][0]).hasSize(384);
        float[][] batched = encoder.cls(texts, 4);
        // cls copies out only the first token's row of each text's hidden states
        for (int i = 0; i < texts.size(); i++) {
            assertThat(batched[i]).as("[CLS] of '%s'", texts.get(i)).containsExactly(h[i][0], org.assertj.core.data.Offset.offset(1e-6f));
        }
        for (int i = 0; i < texts.size(); i++) {
            float[] single = encoder.cls(List.of(texts.get(i)), 1)[0];
            float max = 0;
            for (int j = 0; j < single.length; j++) {
                max = Math.max(max, Math.abs(single[j] - batched[i][j]));
            }
            assertThat(max).as("batch vs single for '%s'", texts.get(i)).isLessThan(1e-4f);
        }
        // different texts give different vectors
        assertThat(batched[0]).isNotEqualTo(batched[1]);
    }
}
