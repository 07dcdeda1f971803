package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout and settings of a folder come from its files alone (the models' declared inputs and outputs). */
class ClipFolderTest {

    @Test
    void bothFixtureLayoutsWithTheirConfigFiles() throws Exception {
        ClipFolder single = ClipFolder.detect(Fixtures.single());
        assertThat(single.layout()).isEqualTo(ClipFolder.Layout.SINGLE);
        assertThat(single.files()).containsExactly("model.onnx");
        assertThat(single.contextLength()).isEqualTo(16);
        assertThat(single.preprocessing().outputWidth()).isEqualTo(32);
        assertThat(single.describe()).isEqualTo("a single CLIP model (model.onnx)");
        ClipFolder dual = ClipFolder.detect(Fixtures.dual());
        assertThat(dual.layout()).isEqualTo(ClipFolder.Layout.DUAL);
        assertThat(dual.models()).containsExactly(Fixtures.dual().resolve("text_model.onnx"),
                Fixtures.dual().resolve("vision_model.onnx"));
    }

    @Test
    void withoutConfigFilesTheModelsDeclaredShapesDecide(@TempDir Path dir) throws Exception {
        Files.copy(Fixtures.dual().resolve("text_model.onnx"), dir.resolve("text_model.onnx"));
        Files.copy(Fixtures.dual().resolve("vision_model.onnx"), dir.resolve("vision_model.onnx"));
        Files.copy(Fixtures.dual().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        ClipFolder f = ClipFolder.detect(dir);
        // the fixtures declare every axis dynamic, so CLIP's own 224 pixels and 77 tokens
        assertThat(f.preprocessing().outputWidth()).isEqualTo(224);
        assertThat(f.contextLength()).isEqualTo(77);
        // static sizes are taken
        assertThat(ClipFolder.preprocessingFromModel(new long[] {-1, 3, 32, 32}).outputHeight()).isEqualTo(32);
        assertThat(ClipFolder.preprocessingFromModel(new long[] {-1, 3, -1, -1}).outputHeight()).isEqualTo(224);
        ObjectMapper json = new ObjectMapper();
        assertThat(ClipFolder.contextLength(json.createObjectNode(), json.createObjectNode(), new long[] {-1, 16})).isEqualTo(16);
        assertThat(ClipFolder.contextLength(json.readTree("{\"text_config\": {\"max_position_embeddings\": 40}}"),
                json.readTree("{\"model_max_length\": 50}"), new long[] {-1, 16})).isEqualTo(40);
    }

    @Test
    void modelsThatPlayNoRoleAreSkippedAndQuantisedVariantsComeLast(@TempDir Path dir) throws Exception {
        for (String f : List.of("tokenizer.json", "config.json", "preprocessor_config.json")) {
            Files.copy(Fixtures.dual().resolve(f), dir.resolve(f));
        }
        Files.copy(Fixtures.dual().resolve("vision_model.onnx"), dir.resolve("model_quantized.onnx"));
        Files.copy(Fixtures.dual().resolve("vision_model.onnx"), dir.resolve("vision_model.onnx"));
        Files.copy(Fixtures.dual().resolve("text_model.onnx"), dir.resolve("text_model.onnx"));
        assertThat(ClipFolder.onnxFiles(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("text_model.onnx", "vision_model.onnx", "model_quantized.onnx");
        assertThat(ClipFolder.detect(dir).files()).containsExactly("text_model.onnx", "vision_model.onnx");
    }
}
