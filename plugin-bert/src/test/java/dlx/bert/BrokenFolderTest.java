package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokenFolderTest {
    @TempDir
    Path tempDir;

    private ExperimentResult run(Path encoder) {
        return new ExperimentRunner(RunSettings.quiet(tempDir.resolve("out"), new SimpleMeterRegistry()))
                .run(new FrozenExperiment(), "bert", Map.of("profile", "quick", "encoder", encoder.toString()), Profile.QUICK);
    }

    @Test
    void emptyFolderFailsNamingBothFilesAndTheExportCommand() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("empty"));
        ExperimentResult r = run(dir);
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("model.onnx and tokenizer.json").contains("optimum-cli export onnx");
        assertThat(tempDir.resolve("out/bert.frozen/result.json")).isRegularFile();
    }

    @Test
    void missingModelFailsNamingTheModelFile() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("no-model"));
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        ExperimentResult r = run(dir);
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("missing model.onnx;").doesNotContain("missing model.onnx and");
    }

    @Test
    void missingTokenizerFailsNamingTheTokenizerFile() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("no-tokenizer"));
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
        ExperimentResult r = run(dir);
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("missing tokenizer.json");
    }

    @Test
    void aFolderThatDoesNotExistFails() {
        ExperimentResult r = run(tempDir.resolve("nowhere"));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("does not exist");
    }

    @Test
    void aModelFileThatIsNotOnnxFailsWithTheReason() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("garbage"));
        Path embedded = EncoderFolder.embedded(dlx.kit.runtime.EnvDataLocations.fromEnvironment().cacheDir()).tokenizer();
        Files.copy(embedded, dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("model.onnx"), "not an onnx model");
        ExperimentResult r = run(dir);
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("ONNX Runtime could not load").contains("model.onnx");
    }
}
