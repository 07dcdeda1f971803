package dlx.kit.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dlx.api.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxModelFileTest {
    static final float[] W = {1, 2, 3, 4, 5, 6};
    static final float C = 2.5f;

    @TempDir
    Path dir;

    /** The field-number constants write a model ONNX Runtime runs, and the reader reads back what was written. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theNamedFieldsAreOnnxProtosAndReadBack(boolean externalWeights) throws Exception {
        Path model = TinyModels.affine(dir.resolve("affine.onnx"), W, C, externalWeights);

        // [1, 2] · [[1, 2, 3], [4, 5, 6]] + 2.5 = [11.5, 14.5, 17.5]; [-1, -1]: [-5, -7, -9] + 2.5, times alpha
        try (OrtSessions.Opened s = OrtSessions.open(model, Device.CPU, OrtSettings.DEFAULTS, l -> { });
             OnnxTensor x = OnnxTensor.createTensor(OrtSessions.environment(), new float[][] {{1, 2}, {-1, -1}});
             OrtSession.Result r = s.session().run(Map.of("x", x))) {
            float[][] y = (float[][]) r.get(0).getValue();
            assertThat(y[0]).containsExactly(11.5f, 14.5f, 17.5f);
            assertThat(y[1]).containsExactly(-0.625f, -1.125f, -1.625f);
        }

        OnnxModelFile f = OnnxModelFile.read(model);
        assertThat(f.inputs()).extracting(OnnxModelFile.ValueInfo::toString).containsExactly("x float[-1, 2]");
        assertThat(f.outputs()).extracting(OnnxModelFile.ValueInfo::toString).containsExactly("y float[-1, 3]");
        assertThat(f.nodes()).extracting(OnnxModelFile.Node::opType)
                .containsExactly("Constant", "MatMul", "Add", "LeakyRelu", "Reshape");
        OnnxModelFile.Node matmul = f.nodes().get(1);
        assertThat(matmul.name()).isEqualTo("matmul");
        assertThat(matmul.inputs()).containsExactly("x", "w");
        assertThat(matmul.outputs()).containsExactly("xw");
        assertThat(f.nodes().get(0).tensorAttributes().get("value").scalar()).isEqualTo(C);
        assertThat(f.nodes().get(0).numberAttributes()).isEmpty();
        assertThat(f.nodes().get(3).numberAttributes()).containsExactly(Map.entry("alpha", 0.25));
        assertThat(f.nodes().get(4).numberAttributes()).containsExactly(Map.entry("allowzero", 0.0));
        OnnxModelFile.Tensor w = f.initializers().get("w");
        assertThat(w.dims()).containsExactly(2, 3);
        assertThat(w.dataType()).isEqualTo(OnnxModelFile.FLOAT);
        assertThat(w.floats()).containsExactly(W);
        assertThat(f.initializers().get("k").longs()).containsExactly(-1, 3);
    }

    @Test
    void readsAnExportedEncoder() throws Exception {
        OnnxModelFile f = OnnxModelFile.read(TinyModels.fixture("tiny-bert.onnx"));
        assertThat(f.inputs()).extracting(OnnxModelFile.ValueInfo::name)
                .containsExactly("input_ids", "attention_mask", "token_type_ids");
        assertThat(f.inputs()).allSatisfy(in -> assertThat(in.elemType()).isEqualTo(OnnxModelFile.INT64));
        assertThat(f.outputs()).extracting(OnnxModelFile.ValueInfo::name).containsExactly("last_hidden_state");
        assertThat(f.outputs().get(0).shape()).hasSize(3).endsWith(16);
        assertThat(f.nodes()).extracting(OnnxModelFile.Node::opType).contains("MatMul", "Softmax", "Gather");
        OnnxModelFile.Tensor words = f.initializers().values().stream()
                .filter(t -> t.name().endsWith("word_embeddings.weight")).findFirst().orElseThrow();
        assertThat(words.dims()).containsExactly(28, 16);
        assertThat(words.floats()).hasSize(28 * 16);
    }

    @Test
    void theSignatureAloneDecodesNoWeights() throws Exception {
        Path model = TinyModels.affine(dir.resolve("affine.onnx"), W, C, false);
        OnnxModelFile s = OnnxModelFile.readSignature(model);
        assertThat(s.inputs()).extracting(OnnxModelFile.ValueInfo::toString).containsExactly("x float[-1, 2]");
        assertThat(s.outputs()).extracting(OnnxModelFile.ValueInfo::name).containsExactly("y");
        assertThat(s.nodes()).isEmpty();
        assertThat(s.initializers()).isEmpty();
    }

    @Test
    void aFileThatIsNotOnnxIsAnIoError() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.onnx"), "not a model, just text");
        assertThatThrownBy(() -> OnnxModelFile.read(text)).isInstanceOf(IOException.class);
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertThatThrownBy(() -> OnnxModelFile.readSignature(empty)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds no ONNX graph");
    }

    @Test
    void typeNamesAreOnnxRuntimes() {
        assertThat(new OnnxModelFile.ValueInfo("ids", OnnxModelFile.INT32, new long[] {-1, 7}).toString())
                .isEqualTo("ids int32[-1, 7]");
        assertThat(new OnnxModelFile.ValueInfo("h", OnnxModelFile.FLOAT16, null).typeName()).isEqualTo("float16");
        assertThat(new OnnxModelFile.Tensor("s", new long[0], OnnxModelFile.FLOAT, new float[] {0.5f}, null).scalar())
                .isCloseTo(0.5, within(0.0));
    }
}
