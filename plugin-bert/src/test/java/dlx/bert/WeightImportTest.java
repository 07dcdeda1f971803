package dlx.bert;


import ai.djl.ndarray.NDManager;
import dlx.api.Device;
import dlx.engine.config.PlatformConfig;
import dlx.kit.djl.EngineThreads;
import dlx.kit.onnx.OrtSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class WeightImportTest {

    @Test
    void onnxInitializersArePlacedByTheGraphAndDjlMatchesOnnxRuntime() throws Exception {
        EngineThreads.configure();
        EncoderFolder folder = EncoderFolder.embedded(PlatformConfig.fromSystem().dataLocations().cacheDir());
        BertWeights w = BertWeights.load(folder);
        assertThat(w.layers()).isEqualTo(6);
        assertThat(w.hidden()).isEqualTo(384);
        assertThat(w.heads()).isEqualTo(12);
        assertThat(w.layerNormEps()).isEqualTo(1e-12f);
        assertThat(w.hasTokenTypes()).isTrue();
        // anonymous onnx::MatMul_* weights placed as [in, out]
        assertThat(w.params().get("encoder.layer.0.attention.self.query.weight").shape()).containsExactly(384, 384);
        assertThat(w.params().get("encoder.layer.5.intermediate.dense.weight").shape()).containsExactly(384, 1536);
        assertThat(w.params().get("encoder.layer.5.output.dense.weight").shape()).containsExactly(1536, 384);
        assertThat(w.parameterCount()).isBetween(22_000_000L, 23_000_000L);

        try (OnnxEncoder encoder = OnnxEncoder.open(folder, Device.CPU, OrtSettings.DEFAULTS, l -> { });
             NDManager manager = NDManager.newBaseManager();
             DjlBert bert = new DjlBert(manager, w)) {
            // padded batch: lengths 3..9 tokens
            double diff = FineTunedModel.maxAbsDifference(bert, encoder,
                    List.of("twenty", "seven minus three", "zero plus zero plus one plus two plus three", "eleven plus four"));
            assertThat(diff).isLessThan(1e-3);
        }
    }

    @Test
    void hfNamesDropModelPrefixes() {
        assertThat(BertWeights.hfName("bert.encoder.layer.3.output.dense.bias")).isEqualTo("encoder.layer.3.output.dense.bias");
        assertThat(BertWeights.hfName("embeddings.LayerNorm.weight")).isEqualTo("embeddings.LayerNorm.weight");
        assertThat(BertWeights.hfName("pooler.dense.weight")).isNull();
    }
}
