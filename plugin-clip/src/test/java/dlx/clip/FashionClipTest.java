package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.api.Device;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.kit.data.FashionMnist;
import dlx.kit.onnx.OrtSettings;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded fashion-clip as dlx runs it (its tokenizer in Java, Java preprocessing, ONNX Runtime)
 * against what its training script computed in PyTorch and saved in
 * {@code fashion-clip-reference.json}: token ids, embeddings, and zero-shot predictions on the
 * real Fashion-MNIST test images.
 */
class FashionClipTest {
    @TempDir
    static Path cache;
    @TempDir
    Path results;

    private static JsonNode reference;
    private static Path model;

    @BeforeAll
    static void load() throws Exception {
        reference = new ObjectMapper().readTree(FashionClipTest.class.getResource("/fashion-clip-reference.json"));
        model = EmbeddedClip.folder(cache);
    }

    private static void assumeFashionMnist() {
        assumeThat(Files.isDirectory(FashionMnist.DEBIAN_DIR) || PlatformConfig.fromSystem().dataLocations().userDataDir().isPresent())
                .as("Fashion-MNIST installed").isTrue();
    }

    @Test
    void bothTokenizersTokenizeEveryTrainingCaptionAsTheTrainingScriptDid() throws Exception {
        int context = ClipFolder.detect(model).contextLength();
        try (ClipTokenizer tokenizer = ClipTokenizer.load(model.resolve("tokenizer.json"), context)) {
            assertThat(tokenizer.inJava()).isTrue();
            long eos = tokenizer.padId();
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = reference.get("tokenIds").fields(); it.hasNext(); checked++) {
                Map.Entry<String, JsonNode> e = it.next();
                long[] expected = new long[e.getValue().size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = e.getValue().get(i).asLong();
                }
                // the Java tokenizer (encode) and DJL's native one
                assertThat(tokenizer.nativeIds(e.getKey())).as(e.getKey()).containsExactly(expected);
                ClipTokenizer.Batch b = tokenizer.encode(List.of(e.getKey()));
                assertThat(b.length(0)).as(e.getKey()).isEqualTo(expected.length);
                for (int i = 0; i < context; i++) {
                    assertThat(b.ids()[0][i]).as("%s, token %d", e.getKey(), i).isEqualTo(i < expected.length ? expected[i] : eos);
                }
            }
            assertThat(checked).isGreaterThan(100);
        }
    }

    @Test
    void embeddingsMatchTheTrainingScript() throws Exception {
        assumeFashionMnist();
        try (ClipModel clip = ClipModel.open(model, Device.CPU, OrtSettings.DEFAULTS, s -> { })) {
            ImageSets.Images images = ImageSets.fashionMnist(FashionMnist.locate(java.util.Optional.empty(),
                    PlatformConfig.fromSystem().dataLocations()), reference.get("testImages").size());
            assertClose(clip.encodeImages(images.count(), images::rgb, null), reference.get("imageEmbeds"));
            List<String> captions = new ArrayList<>();
            reference.get("captions").forEach(c -> captions.add(c.asText()));
            assertClose(clip.encodeTexts(captions), reference.get("textEmbeds"));
            assertThat(clip.logitScale()).isCloseTo(reference.get("logitScale").asDouble(), within(1e-4));
        }
    }

    private static void assertClose(float[][] got, JsonNode expected) {
        assertThat(got.length).isEqualTo(expected.size());
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).hasSize(expected.get(i).size());
            for (int d = 0; d < got[i].length; d++) {
                assertThat((double) got[i][d]).as("row %d, dimension %d", i, d).isCloseTo(expected.get(i).get(d).asDouble(), within(1e-4));
            }
        }
    }

    /** No model configured: the embedded one runs (no longer skipped), and agrees with PyTorch image by image. */
    @Test
    void zeroShotRunsTheEmbeddedModelByDefaultWellAboveChance() throws Exception {
        assumeFashionMnist();
        JsonNode predicted = reference.get("zeroShotPredictions");
        ExperimentTestKit kit = ExperimentTestKit.quick(new ZeroShotExperiment(Fixtures.noModelConfigured()))
                .param("limit", String.valueOf(predicted.size())).plugin("clip").in(results);
        ExperimentResult r = kit.run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("model")).isEqualTo("embedded fashion-clip");
        assertThat(r.answer("modelLayout")).isEqualTo("dual");
        // recorded as extracted into the cache, with the digest of the files the run used
        assertThat(r.dataSources()).filteredOn(d -> d.name().equals("clip-model")).singleElement()
                .satisfies(d -> {
                    assertThat(d.origin()).isEqualTo(dlx.api.DataSource.Origin.CACHE);
                    assertThat(d.location()).contains("fashion-clip");
                    assertThat(d.sha256()).hasSize(64);
                });
        List<String> rows = Files.readAllLines(kit.outputDir().resolve("predictions.csv"));
        assertThat(rows).hasSize(predicted.size() + 1);
        int disagreements = 0;
        for (int i = 0; i < predicted.size(); i++) {
            String dlx = rows.get(i + 1).split(",")[3];
            disagreements += dlx.equals(FashionMnist.CLASSES.get(predicted.get(i).asInt())) ? 0 : 1;
        }
        // float rounding may flip an image whose two best classes tie; no more than a few
        assertThat(disagreements).isLessThanOrEqualTo(3);
        double pytorch = reference.get("zeroShotCorrect").asDouble() / predicted.size();
        assertThat(r.metric("accuracy")).isCloseTo(pytorch, within(0.0031)).isGreaterThan(0.6);
    }

    @Test
    void captionSearchRunsTheEmbeddedModelByDefault() {
        assumeFashionMnist();
        ExperimentResult r = ExperimentTestKit.quick(new CaptionSearchExperiment(Fixtures.noModelConfigured()))
                .params(Map.of("caption", "a photo of a sneaker.", "words", "sneaker,bag")).plugin("clip").in(results).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat((String) r.answer("selectedImage")).endsWith("(Sneaker)");
    }
}
