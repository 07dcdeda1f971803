package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extracting the embedded fashion-clip from the jar into the cache, with its digests checked. */
class EmbeddedClipTest {
    @TempDir
    Path cache;

    /** SHA256SUMS as shipped, read here line by line. */
    private static Map<String, String> shippedSums() throws Exception {
        Map<String, String> sums = new LinkedHashMap<>();
        try (InputStream in = EmbeddedClipTest.class.getResourceAsStream("/dlx/clip/fashion-clip/SHA256SUMS")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    sums.put(line.substring(66), line.substring(0, 64));
                }
            }
        }
        return sums;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void extractsEveryFileOfTheModelWithTheDigestItShipsWith() throws Exception {
        Path dir = EmbeddedClip.folder(cache);
        assertThat(dir.getParent()).isEqualTo(cache.resolve("clip"));
        assertThat(dir.getFileName().toString()).matches("fashion-clip-[0-9a-f]{12}");
        Map<String, String> sums = shippedSums();
        assertThat(sums.keySet()).containsExactlyInAnyOrder("text_model.onnx", "vision_model.onnx", "tokenizer.json",
                "config.json", "preprocessor_config.json", "training.json");
        for (Map.Entry<String, String> e : sums.entrySet()) {
            assertThat(sha256(dir.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(sums.keySet());
        }
        // The folder is a model plugin-clip can open (separate towers with the trained logit scale).
        ClipFolder folder = ClipFolder.detect(dir);
        assertThat(folder.layout()).isEqualTo(ClipFolder.Layout.DUAL);
        assertThat(folder.configLogitScale()).isPositive();
    }

    @Test
    void anAlteredOrMissingFileIsExtractedAgain() throws Exception {
        Path dir = EmbeddedClip.folder(cache);
        String original = sha256(dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.delete(dir.resolve("vision_model.onnx"));
        assertThat(EmbeddedClip.folder(cache)).isEqualTo(dir);
        assertThat(sha256(dir.resolve("tokenizer.json"))).isEqualTo(original);
        assertThat(sha256(dir.resolve("vision_model.onnx"))).isEqualTo(shippedSums().get("vision_model.onnx"));
    }

    @Test
    void aDamagedSumsFileIsRefused() {
        assertThat(EmbeddedClip.parse("ab".repeat(32) + "  model.onnx\n")).containsEntry("model.onnx", "ab".repeat(32));
        assertThatThrownBy(() -> EmbeddedClip.parse("nonsense\n")).hasMessageContaining("bad line: 'nonsense'");
        assertThatThrownBy(() -> EmbeddedClip.parse("ab".repeat(32) + "  ../evil\n")).hasMessageContaining("bad line");
    }
}
