package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dlx.api.Device;
import dlx.kit.onnx.OrtSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipModelTest {

    private static ClipModel open(Path folder) throws Exception {
        return ClipModel.open(folder, Device.CPU, OrtSettings.DEFAULTS, line -> { });
    }

    @Test
    void detectsTheSingleModelLayout() throws Exception {
        try (ClipModel m = open(Fixtures.single())) {
            assertThat(m.layout()).isEqualTo(ClipFolder.Layout.SINGLE);
            assertThat(m.files()).containsExactly("model.onnx");
            assertThat(m.provider()).isEqualTo("CPU");
            assertThat(m.tokenizer().contextLength()).isEqualTo(16);
            assertThat(m.preprocessor().config().outputWidth()).isEqualTo(32);
            // The fixture's logit scale is exp(log 20).
            assertThat(m.logitScale()).isCloseTo(20.0, within(1e-3));
        }
    }

    @Test
    void detectsSeparateTextAndVisionModels() throws Exception {
        try (ClipModel m = open(Fixtures.dual())) {
            assertThat(m.layout()).isEqualTo(ClipFolder.Layout.DUAL);
            assertThat(m.files()).containsExactly("text_model.onnx", "vision_model.onnx");
            assertThat(m.logitScale()).isEqualTo(LogitScale.CLIP_DEFAULT);
        }
    }

    @Test
    void embeddingsAreUnitLengthAndAgreeAcrossLayouts() throws Exception {
        List<String> texts = List.of("a photo of a red thing.", "a dark photo", "a picture of a thing");
        List<BufferedImage> images = List.of(Fixtures.solid(40, 30, Fixtures.RED, 1), Fixtures.gray(20, 20, 20, 2),
                Fixtures.solid(50, 64, Fixtures.BLUE, 3));
        try (ClipModel single = open(Fixtures.single()).batchSize(2); ClipModel dual = open(Fixtures.dual()).batchSize(2)) {
            float[][] ts = single.encodeTexts(texts);
            float[][] td = dual.encodeTexts(texts);
            float[][] is = single.encodeImages(images);
            float[][] id = dual.encodeImages(images);
            for (float[][] set : List.of(ts, td, is, id)) {
                assertThat(set.length).isEqualTo(3);
                for (float[] e : set) {
                    assertThat(e).hasSize(5);
                    assertThat(Vectors.dot(e, e)).isCloseTo(1.0, within(1e-5));
                }
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Vectors.dot(ts[i], td[i])).isCloseTo(1.0, within(1e-5));
                assertThat(Vectors.dot(is[i], id[i])).isCloseTo(1.0, within(1e-5));
            }
            // The red caption is closest to the red image, the dark caption to the dark image.
            assertThat(Vectors.dot(ts[0], is[0])).isGreaterThan(Vectors.dot(ts[0], is[1])).isGreaterThan(0.5);
            assertThat(Vectors.dot(ts[1], is[1])).isGreaterThan(Vectors.dot(ts[1], is[0])).isGreaterThan(0.5);
        }
    }

    @Test
    void rejectsAMissingFolder(@TempDir Path dir) {
        assertThatThrownBy(() -> open(dir.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("optimum-cli export onnx --model openai/clip-vit-base-patch32");
    }

    @Test
    void rejectsAFolderWithoutModels(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not a model");
        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no .onnx model")
                .hasMessageContaining("notes.txt")
                .hasMessageContaining("optimum-cli export onnx");
    }

    @Test
    void rejectsAFolderWithOnlyAVisionModelOrABrokenFile(@TempDir Path dir) throws Exception {
        Files.copy(Fixtures.dual().resolve("vision_model.onnx"), dir.resolve("vision_model.onnx"));
        Files.copy(Fixtures.dual().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("broken.onnx"), "garbage");
        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no usable CLIP export")
                .hasMessageContaining("vision_model.onnx: inputs [pixel_values float")
                .hasMessageContaining("outputs [image_embeds")
                .hasMessageContaining("broken.onnx: not a loadable ONNX model")
                .hasMessageContaining("optimum-cli export onnx");
    }

    @Test
    void rejectsAModelWithoutTokenizer(@TempDir Path dir) throws Exception {
        Files.copy(Fixtures.single().resolve("model.onnx"), dir.resolve("model.onnx"));
        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a single CLIP model (model.onnx) but no tokenizer.json");
    }

    @Test
    void rejectsABrokenTokenizerAndAPlainFile(@TempDir Path dir) throws Exception {
        Files.copy(Fixtures.single().resolve("model.onnx"), dir.resolve("model.onnx"));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 42}");
        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer.json cannot be loaded")
                .hasMessageContaining("optimum-cli export onnx");
        assertThatThrownBy(() -> open(dir.resolve("tokenizer.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a file, not a model folder");
    }

    @Test
    void acceptsAPathToTheOnnxFileAndTheOnnxSubfolder(@TempDir Path dir) throws Exception {
        try (ClipModel m = open(Fixtures.single().resolve("model.onnx"))) {
            assertThat(m.layout()).isEqualTo(ClipFolder.Layout.SINGLE);
        }
        Files.createDirectories(dir.resolve("onnx"));
        for (String f : List.of("tokenizer.json", "config.json", "preprocessor_config.json")) {
            Files.copy(Fixtures.dual().resolve(f), dir.resolve(f));
        }
        Files.copy(Fixtures.dual().resolve("text_model.onnx"), dir.resolve("onnx/text_model.onnx"));
        Files.copy(Fixtures.dual().resolve("vision_model.onnx"), dir.resolve("onnx/vision_model.onnx"));
        try (ClipModel m = open(dir)) {
            assertThat(m.layout()).isEqualTo(ClipFolder.Layout.DUAL);
            assertThat(m.files()).containsExactly("onnx/text_model.onnx", "onnx/vision_model.onnx");
        }
    }
}
