package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.kit.data.FashionMnist;
import dlx.testkit.ExperimentTestKit;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionSearchExperimentTest {
    @TempDir
    Path tempDir;

    private ExperimentResult run(Map<String, String> params) {
        return ExperimentTestKit.quick(new CaptionSearchExperiment(Fixtures.noModelConfigured())).params(params)
                .plugin("clip").in(tempDir.resolve("results")).run();
    }

    @Test
    @SuppressWarnings("unchecked")
    void ranksTheGalleryAndFindsACaptionForTheTarget() throws Exception {
        Path gallery = Fixtures.colourFolders(tempDir.resolve("gallery"), 1);
        for (Path fixture : List.of(Fixtures.single(), Fixtures.dual())) {
            ExperimentResult r = run(Map.of("profile", "quick", "model", fixture.toString(), "images", gallery.toString(),
                    "caption", "a photo of a red thing.", "topK", "3", "target", "blue-0.png",
                    "captions", "a dark photo,a green photo,a blue photo,a blue picture"));
            assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
            assertThat(r.metric("gallerySize")).isEqualTo(5);
            assertThat(r.answer("selectedImage")).isEqualTo("red/red-0.png");
            assertThat((double) r.answer("selectedProbability")).isGreaterThan(0.2).isLessThanOrEqualTo(1.0);
            List<Map<String, Object>> ranking = (List<Map<String, Object>>) r.answer("ranking");
            assertThat(ranking).hasSize(3);
            assertThat(ranking.get(0).get("image")).isEqualTo("red/red-0.png");
            assertThat((double) ranking.get(0).get("probability")).isGreaterThan((double) ranking.get(1).get("probability"));

            assertThat(r.answer("target")).isEqualTo("blue/blue-0.png");
            List<Map<String, Object>> tried = (List<Map<String, Object>>) r.answer("captionsTried");
            assertThat(tried).extracting(m -> m.get("caption"))
                    .containsExactly("a dark photo", "a green photo", "a blue photo", "a blue picture");
            assertThat(tried).extracting(m -> m.get("pickedTarget")).containsExactly(false, false, true, true);
            assertThat(tried.get(0).get("pickedImage")).isEqualTo("dark/dark-0.png");
            assertThat(r.answer("targetPicked")).isEqualTo(true);
            assertThat(r.answer("firstCaptionPickingTarget")).isEqualTo("a blue photo");
            assertThat(r.metric("captionsPickingTarget")).isEqualTo(2);
            assertThat(r.artifacts()).contains("contact-sheet.png", "ranking.csv", "reverse-search.csv", "reverse-search.png");
            Path out = tempDir.resolve("results/clip.caption-search").resolve(r.runId());
            BufferedImage sheet = ImageIO.read(out.resolve("contact-sheet.png").toFile());
            assertThat(sheet.getWidth()).isGreaterThan(3 * CaptionSearchExperiment.THUMB);
            // The first thumbnail is the red image.
            java.awt.Color first = new java.awt.Color(sheet.getRGB(28 + 80, 36 + 80));
            assertThat(first.getRed()).isGreaterThan(150);
            assertThat(first.getGreen()).isLessThan(80);
            List<String> rankingCsv = Files.readAllLines(out.resolve("ranking.csv"));
            assertThat(rankingCsv).hasSize(6);
            assertThat(rankingCsv.get(0)).isEqualTo("rank,index,image,cosine,probability");
            assertThat(rankingCsv.get(1)).startsWith("1,4,red/red-0.png,");
            assertThat(Files.readAllLines(out.resolve("reverse-search.csv")).get(3)).startsWith("3,a blue photo,");
        }
    }

    @Test
    void stopsAtTheFirstHitAndGeneratesCaptionsFromTemplates() {
        Path gallery = Fixtures.colourFolders(tempDir.resolve("gallery"), 1);
        ExperimentResult r = run(Map.of("model", Fixtures.single().toString(), "images", gallery.toString(),
                "target", "bright/bright-0.png", "templates", "a {word} photo", "words", "red,dark,white,bright",
                "stopAtFirst", "true"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("firstCaptionPickingTarget")).isEqualTo("a white photo");
        assertThat(r.metric("captionsTried")).isEqualTo(3);
    }

    @Test
    void reportsWhenNoCaptionPicksTheTarget() {
        Path gallery = Fixtures.colourFolders(tempDir.resolve("gallery"), 1);
        ExperimentResult r = run(Map.of("model", Fixtures.dual().toString(), "images", gallery.toString(),
                "target", "0", "captions", "a red photo,a green photo"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("target")).isEqualTo("blue/blue-0.png");
        assertThat(r.answer("targetPicked")).isEqualTo(false);
        assertThat(r.answer("firstCaptionPickingTarget")).isNull();
        assertThat(r.metric("captionsTried")).isEqualTo(2);
    }

    @Test
    void unknownTargetFails() {
        Path gallery = Fixtures.colourFolders(tempDir.resolve("gallery"), 1);
        ExperimentResult r = run(Map.of("model", Fixtures.dual().toString(), "images", gallery.toString(),
                "target", "purple.png"));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("no gallery image is called 'purple.png'");
    }

    @Test
    void defaultGalleryIsFashionMnist() {
        assumeThat(Files.isDirectory(FashionMnist.DEBIAN_DIR) || PlatformConfig.fromSystem().dataLocations().userDataDir().isPresent())
                .as("Fashion-MNIST installed").isTrue();
        ExperimentResult r = run(Map.of("model", Fixtures.dual().toString(), "gallerySize", "12", "words", "bag,shoe"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("gallerySize")).isEqualTo(12);
        assertThat((String) r.answer("target")).startsWith("fmnist-test-00000 (");
        assertThat(r.metric("captionsTried")).isEqualTo(4);
    }

    @Test
    void failedOnABadPath() {
        ExperimentResult failed = run(Map.of("model", tempDir.resolve("nope").toString()));
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.error()).contains("does not exist").contains("optimum-cli export onnx");
    }
}
