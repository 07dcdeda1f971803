package dlx.kit.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dlx.api.Device;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextInputsTest {
    /** [CLS] zero one [SEP] and [CLS] two [SEP] [PAD] in the tiny BERT's vocabulary. */
    static final long[][] IDS = {{2, 5, 6, 3}, {2, 7, 3, 0}};
    static final long[][] MASK = {{1, 1, 1, 1}, {1, 1, 1, 0}};

    @TempDir
    Path dir;

    private static OrtSessions.Opened open(Path model) throws Exception {
        return OrtSessions.open(model, Device.CPU, OrtSettings.DEFAULTS, l -> { });
    }

    @Test
    void aBertGraphGetsIdsMaskAndTokenTypesWhichAreReallyFed() throws Exception {
        try (OrtSessions.Opened s = open(TinyModels.fixture("tiny-bert.onnx"))) {
            TextInputs text = TextInputs.of(s.session());
            assertThat(text.names()).containsExactlyInAnyOrder("input_ids", "attention_mask", "token_type_ids");
            float[][][] zeros = hidden(s, text, null);
            assertThat(zeros).hasDimensions(2, 4);
            assertThat(zeros[0][0]).hasSize(16);
            assertThat(hidden(s, text, new long[2][4])).isDeepEqualTo(zeros);
            assertThat(hidden(s, text, new long[][] {{0, 0, 1, 1}, {0, 0, 0, 0}})[0][3]).isNotEqualTo(zeros[0][3]);
        }
    }

    private static float[][][] hidden(OrtSessions.Opened s, TextInputs text, long[][] types) throws Exception {
        try (InputTensors in = text.tensors(IDS, MASK, types); OrtSession.Result r = s.session().run(in.map())) {
            return (float[][][]) r.get(0).getValue();
        }
    }

    @Test
    void aClipTextGraphGetsOnlyWhatItDeclares() throws Exception {
        try (OrtSessions.Opened s = open(TinyModels.fixture("tiny-clip-text.onnx"))) {
            TextInputs text = TextInputs.of(s.session());
            assertThat(text.names()).containsExactlyInAnyOrder("input_ids", "attention_mask");
            assertThat(text.declares(TextInputs.TOKEN_TYPE_IDS)).isFalse();
            try (InputTensors in = text.tensors(IDS, MASK)) {
                assertThat(in.map()).containsOnlyKeys("input_ids", "attention_mask");
                try (OrtSession.Result r = s.session().run(in.map(), java.util.Set.of("text_embeds"))) {
                    assertThat((float[][]) r.get(0).getValue()).hasDimensions(2, 5);
                }
            }
        }
    }

    @Test
    void int32InputsAndPositionsFromZero() throws Exception {
        Map<String, long[][]> out = echo(-1, new long[][] {{2, 5, 3}, {2, 3, 0}});
        assertThat(out.get("input_ids_out")).isDeepEqualTo(new long[][] {{2, 5, 3}, {2, 3, 0}});
        assertThat(out.get("token_type_ids_out")).isDeepEqualTo(new long[][] {{0, 0, 0}, {0, 0, 0}});
        assertThat(out.get("position_ids_out")).isDeepEqualTo(new long[][] {{0, 1, 2}, {0, 1, 2}});
    }

    @Test
    void robertaPositionsStartAfterThePaddingIndexAndPaddingKeepsIt() throws Exception {
        // RoBERTa: <s> = 0, <pad> = 1, </s> = 2; positions pad+1, pad+2, ... and pad on padding
        Map<String, long[][]> out = echo(1, new long[][] {{0, 7, 8, 2}, {0, 9, 2, 1}});
        assertThat(out.get("position_ids_out")).isDeepEqualTo(new long[][] {{2, 3, 4, 5}, {2, 3, 4, 1}});
    }

    @Test
    void aNonIntegerTextInputOrARaggedBatchIsRefused() throws Exception {
        Path floatIds = TinyModels.echo(dir.resolve("float.onnx"), Map.of("input_ids", OnnxModelFile.FLOAT));
        try (OrtSessions.Opened s = open(floatIds)) {
            assertThatThrownBy(() -> TextInputs.of(s.session())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input_ids").hasMessageContaining("int64 or int32");
        }
        try (OrtSessions.Opened s = open(TinyModels.fixture("tiny-clip-text.onnx"))) {
            assertThatThrownBy(() -> TextInputs.of(s.session()).tensors(new long[][] {{1, 2}, {1}}, new long[][] {{1, 1}, {1}}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padded to one length");
        }
    }

    /**
     * Feeds {@code ids} (mask all 1) to a graph declaring int32 input_ids and token_type_ids and
     * int64 attention_mask and position_ids, which returns every input as {@code <name>_out}:
     * the types must be the declared ones (ONNX Runtime refuses others), the values come back as longs.
     */
    private Map<String, long[][]> echo(long robertaPaddingIdx, long[][] ids) throws Exception {
        Map<String, Integer> declared = new LinkedHashMap<>();
        declared.put("input_ids", OnnxModelFile.INT32);
        declared.put("attention_mask", OnnxModelFile.INT64);
        declared.put("token_type_ids", OnnxModelFile.INT32);
        declared.put("position_ids", OnnxModelFile.INT64);
        long[][] mask = new long[ids.length][ids[0].length];
        for (long[] row : mask) {
            java.util.Arrays.fill(row, 1);
        }
        Map<String, long[][]> out = new LinkedHashMap<>();
        try (OrtSessions.Opened s = open(TinyModels.echo(dir.resolve("echo.onnx"), declared))) {
            TextInputs text = TextInputs.of(s.session());
            if (robertaPaddingIdx >= 0) {
                text = text.robertaPositions(robertaPaddingIdx);
            }
            assertThat(text.names()).containsExactlyInAnyOrderElementsOf(declared.keySet());
            try (InputTensors in = text.tensors(ids, mask); OrtSession.Result r = s.session().run(in.map())) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    if (t.getValue() instanceof int[][] ints) {
                        long[][] widened = new long[ints.length][];
                        for (int i = 0; i < ints.length; i++) {
                            widened[i] = java.util.Arrays.stream(ints[i]).asLongStream().toArray();
                        }
                        out.put(e.getKey(), widened);
                    } else {
                        out.put(e.getKey(), (long[][]) t.getValue());
                    }
                    assertThat(t.getInfo().type).as(e.getKey()).isEqualTo(
                            declared.get(e.getKey().replace("_out", "")) == OnnxModelFile.INT32 ? OnnxJavaType.INT32 : OnnxJavaType.INT64);
                }
            }
        }
        assertThat(out.get("attention_mask_out")).isDeepEqualTo(mask);
        return out;
    }
}
