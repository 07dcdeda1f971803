package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.DataSource;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.kit.data.FashionMnist;
import dlx.testkit.ExperimentTestKit;
import dlx.testkit.ForkedRun;
import dlx.testkit.SameNumbers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed, same numbers for vision's DJL experiment ({@code vision.ood}: an MLP and a CNN trained
 * with DJL's Adam): two runs in this JVM (the second with a thread collecting garbage beside it)
 * and a run in a separate JVM give the same bits in every series, metric and answer.
 */
class DeterminismTest {
    private static final Map<String, Object> SMALL = Map.of("epochs", 2, "trainSize", 256, "testSize", 64,
            "models", "mlp,cnn2", "batchSize", 32);

    @TempDir
    Path tempDir;

    private static void assumeData() {
        try {
            FashionMnist.locate(Optional.empty(), dlx.engine.config.PlatformConfig.fromSystem().dataLocations());
        } catch (Exception e) {
            Assumptions.abort("Fashion-MNIST is not installed here: " + e.getMessage());
        }
    }

    @Test
    void oodTwiceInOneJvmGivesTheSameBits() {
        assumeData();
        ExperimentResult quiet = SameNumbers.repeatsUnderGcPressure(
                () -> ExperimentTestKit.quick(new OodExperiment()).params(SMALL), tempDir);
        @SuppressWarnings("unchecked")
        Map<String, Object> determinism = (Map<String, Object>) quiet.environment().get("determinism");
        assertThat(determinism.get("bitExact")).as(String.valueOf(determinism.get("statement"))).isEqualTo(true);
        assertThat((String) determinism.get("statement")).contains("1 intra-op thread");
    }

    @Test
    void oodInAnotherJvmGivesTheSameBits() {
        assumeData();
        ExperimentResult here = ExperimentTestKit.quick(new OodExperiment()).params(SMALL).in(tempDir.resolve("here")).run();
        assertThat(here.status()).as(here.error()).isEqualTo(Status.OK);
        ExperimentResult there = ForkedRun.quick(OodExperiment.class, SMALL, tempDir.resolve("there"), 300);
        assertThat(here.metrics().keySet()).anyMatch(k -> k.startsWith("accuracy"));
        SameNumbers.assertSame(here, there);
    }

    /**
     * The result names the folder the user passed, with the files' size and a digest that
     * {@code sha256sum} reproduces: the SHA-256 of {@code sha256sum}'s lines for the four files.
     */
    @Test
    void theResultSaysWhichFashionMnistFilesItRead() throws Exception {
        assumeData();
        Path source = FashionMnist.locate(Optional.empty(), dlx.engine.config.PlatformConfig.fromSystem().dataLocations());
        Path copy = Files.createDirectories(tempDir.resolve("fmnist"));
        long bytes = 0;
        try (var files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
                bytes += Files.size(f);
            }
        }
        ExperimentResult r = ExperimentTestKit.quick(new OodExperiment()).params(SMALL).param("epochs", 1)
                .param("models", "mlp").param("dataDir", copy).in(tempDir.resolve("out")).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        DataSource fmnist = r.dataSources().stream().filter(d -> d.name().equals("fashion-mnist")).findFirst().orElseThrow();
        assertThat(fmnist.origin()).isEqualTo(DataSource.Origin.PARAMETER);
        assertThat(fmnist.location()).isEqualTo(copy.toAbsolutePath().normalize().toString());
        assertThat(fmnist.bytes()).isEqualTo(bytes);
        assertThat(fmnist.sha256()).isEqualTo(sha256sumOfSha256sum(copy));
    }

    private static String sha256sumOfSha256sum(Path dir) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "ls | LC_ALL=C sort | xargs sha256sum | sha256sum").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return List.of(out.split("\\s+")).get(0);
    }

    /** Java's generators have no global seed: every draw in the plugin's code must come from a seeded generator. */
    @Test
    void everyDrawInThePluginsCodeIsSeeded() {
        assertThat(dlx.testkit.UnseededRandomness.in(java.nio.file.Path.of("src/main/java"))).isEmpty();
    }
}
