package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokenFolderTest {
    @TempDir
    Path tempDir;

    private ExperimentResult run(Path encoder) {
        return ExperimentTestKit.quick(new FrozenExperiment(PlatformConfig.fromSystem())).param("encoder", encoder)
                .in(tempDir.resolve("out")).run();
    }

    @Test
    void emptyFolderFailsNamingBothFilesAndTheExportCommand() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("empty"));
        ExperimentResult r = run(dir);
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("model.onnx and tokenizer.json").contains("optimum-cli export onnx");
        assertThat(tempDir.resolve("out/bert.frozen").resolve(r.runId()).resolve("result.json")).isRegularFile();
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
        Path embedded = EncoderFolder.embedded(PlatformConfig.fromSystem().dataLocations().cacheDir()).tokenizer();
        Files.copy(embedded, dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("model.onnx"), "not an onnx model");
        ExperimentResult r = run(dir);
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("ONNX Runtime could not load").contains("model.onnx");
    }
}
