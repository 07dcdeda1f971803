package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dlx.api.Configuration;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.kit.data.FashionMnist;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroShotExperimentTest {
    @TempDir
    Path tempDir;

    private ExperimentResult run(Map<String, String> params) {
        return run(Fixtures.noModelConfigured(), params);
    }

    private ExperimentResult run(Configuration configuration, Map<String, String> params) {
        return ExperimentTestKit.quick(new ZeroShotExperiment(configuration)).params(params).plugin("clip")
                .in(tempDir.resolve("results")).run();
    }

    @Test
    void classifiesColourImagesPerfectlyWithTheSingleModel() throws Exception {
        Path images = Fixtures.colourFolders(tempDir.resolve("colours"), 4);
        ExperimentResult r = run(Map.of("profile", "quick", "model", Fixtures.single().toString(),
                "images", images.toString(), "batchSize", "3"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("accuracy")).isEqualTo(1.0);
        assertThat(r.metric("images")).isEqualTo(20);
        assertThat(r.metric("logitScale")).isBetween(19.99, 20.01);
        assertThat(r.answer("modelLayout")).isEqualTo("single");
        assertThat(r.answer("classes")).isEqualTo(List.of("blue", "bright", "dark", "green", "red"));
        @SuppressWarnings("unchecked")
        Map<String, Double> perClass = (Map<String, Double>) r.answer("perClassAccuracy");
        assertThat(perClass).containsOnlyKeys("blue", "bright", "dark", "green", "red");
        assertThat(perClass.values()).containsOnly(1.0);
        int[][] confusion = (int[][]) r.answer("confusionMatrix");
        assertThat(confusion[2]).containsExactly(0, 0, 4, 0, 0);
        assertThat(r.device()).isIn("ONNX Runtime CPU", "ONNX Runtime CUDA");
        assertThat(r.artifacts()).contains("confusion-matrix.csv", "confusion-matrix.png", "predictions.csv", "per-class-accuracy.png");
        Path out = tempDir.resolve("results/clip.zero-shot").resolve(r.runId());
        assertThat(Files.readAllLines(out.resolve("confusion-matrix.csv")))
                .startsWith("true\\predicted,blue,bright,dark,green,red", "blue,4,0,0,0,0");
        assertThat(Files.size(out.resolve("confusion-matrix.png"))).isGreaterThan(1000);
        assertThat(Files.size(out.resolve("per-class-accuracy.png"))).isGreaterThan(1000);
        List<String> predictions = Files.readAllLines(out.resolve("predictions.csv"));
        assertThat(predictions).hasSize(21);
        assertThat(predictions.get(0)).isEqualTo("index,image,trueClass,predictedClass,correct,predictedProbability,trueClassProbability");
        assertThat(predictions.get(1)).startsWith("0,blue/blue-0.png,blue,blue,true,");
        assertThat(Files.readString(out.resolve("result.json"))).contains("\"status\" : \"ok\"");
    }

    @Test
    void dualLayoutWithTemplatesAndClassNames() {
        Path images = Fixtures.colourFolders(tempDir.resolve("colours"), 2);
        // Swapping the names of red and green makes exactly those two classes wrong.
        ExperimentResult r = run(Map.of("model", Fixtures.dual().toString(), "images", images.toString(),
                "templates", "a photo of a {class}.,a {class} picture", "classNames", "blue,bright,dark,red,green"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("modelLayout")).isEqualTo("dual");
        assertThat(r.metric("accuracy")).isEqualTo(0.6);
        @SuppressWarnings("unchecked")
        Map<String, List<String>> captions = (Map<String, List<String>>) r.answer("captions");
        assertThat(captions.get("green")).containsExactly("a photo of a red.", "a red picture");
        int[][] confusion = (int[][]) r.answer("confusionMatrix");
        assertThat(confusion[3][4]).isEqualTo(2);
        assertThat(confusion[4][3]).isEqualTo(2);
    }

    @Test
    void limitTakesASeededSubset() {
        Path images = Fixtures.colourFolders(tempDir.resolve("colours"), 3);
        ExperimentResult r = run(Map.of("model", Fixtures.single().toString(), "images", images.toString(), "limit", "7"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("images")).isEqualTo(7);
        assertThat(r.metric("accuracy")).isEqualTo(1.0);
    }

    @Test
    void runsOnFashionMnistByDefault() throws Exception {
        assumeThat(Files.isDirectory(FashionMnist.DEBIAN_DIR) || PlatformConfig.fromSystem().dataLocations().userDataDir().isPresent())
                .as("Fashion-MNIST installed").isTrue();
        ExperimentResult r = run(Map.of("model", Fixtures.single().toString(), "limit", "30"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.metric("images")).isEqualTo(30);
        assertThat(r.metric("accuracy")).isBetween(0.0, 1.0);
        assertThat(r.answer("classes")).isEqualTo(FashionMnist.CLASSES);
        assertThat(((int[][]) r.answer("confusionMatrix")).length).isEqualTo(10);
    }

    @Test
    void theConfiguredModelIsTheDefaultAndTheParameterWins() {
        Path images = Fixtures.colourFolders(tempDir.resolve("colours"), 1);
        ExperimentResult configured = run(Fixtures.modelConfigured(Fixtures.dual()), Map.of("images", images.toString()));
        assertThat(configured.status()).as(configured.error()).isEqualTo(Status.OK);
        assertThat(configured.answer("modelLayout")).isEqualTo("dual");
        ExperimentResult given = run(Fixtures.modelConfigured(Fixtures.dual()),
                Map.of("images", images.toString(), "model", Fixtures.single().toString()));
        assertThat(given.status()).as(given.error()).isEqualTo(Status.OK);
        assertThat(given.answer("modelLayout")).isEqualTo("single");
        // Where the model and the images came from: the configuration, then the parameter.
        assertThat(configured.dataSources()).extracting(d -> d.name() + " " + d.origin().id() + " " + d.location())
                .containsExactlyInAnyOrder("images parameter " + images.toAbsolutePath().normalize(),
                        "clip-model configuration " + Fixtures.dual().toAbsolutePath().normalize());
        assertThat(given.dataSources()).filteredOn(d -> d.name().equals("clip-model")).singleElement()
                .satisfies(d -> {
                    assertThat(d.origin()).isEqualTo(dlx.api.DataSource.Origin.PARAMETER);
                    assertThat(d.bytes()).isPositive();
                    assertThat(d.sha256()).hasSize(64);
                });
    }

    @Test
    void failedWithAClearMessageForABadPath() throws Exception {
        Path bogus = Files.createDirectories(tempDir.resolve("bogus"));
        Files.writeString(bogus.resolve("README.txt"), "no model here");
        ExperimentResult r = run(Map.of("profile", "quick", "model", bogus.toString()));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("holds no .onnx model").contains("README.txt")
                .contains("optimum-cli export onnx --model openai/clip-vit-base-patch32");
        ExperimentResult missing = run(Map.of("model", tempDir.resolve("missing").toString()));
        assertThat(missing.status()).isEqualTo(Status.FAILED);
        assertThat(missing.error()).contains("does not exist").contains("optimum-cli");
    }
}
