package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedEncoderTest {
    @TempDir
    Path cache;

    @Test
    void aTruncatedOrAlteredExtractedFileIsExtractedAgain() throws Exception {
        EncoderFolder first = EncoderFolder.embedded(cache);
        long size = Files.size(first.model());
        byte[] tokenizer = Files.readAllBytes(first.tokenizer());
        try (RandomAccessFile f = new RandomAccessFile(first.model().toFile(), "rw")) {
            f.setLength(size / 2); // as a kill during a copy by hand would leave it
        }
        Files.writeString(first.tokenizer(), "{}");
        EncoderFolder again = EncoderFolder.embedded(cache);
        assertThat(Files.size(again.model())).isEqualTo(size);
        assertThat(Files.readAllBytes(again.tokenizer())).isEqualTo(tokenizer);
        assertThat(Files.readString(again.dir().resolve(".complete"))).containsPattern("model.onnx [0-9a-f]{64}");
    }
}
