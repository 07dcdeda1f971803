package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {
    @TempDir
    Path tempDir;

    /** vocab.txt (one token per line, id = line) from a tokenizer.json's WordPiece vocabulary. */
    static Path vocabFrom(Path tokenizerJson, Path dir) throws Exception {
        JsonNode vocab = new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab");
        TreeMap<Integer, String> byId = new TreeMap<>();
        vocab.fields().forEachRemaining(e -> byId.put(e.getValue().asInt(), e.getKey()));
        Files.createDirectories(dir);
        return Files.write(dir.resolve("vocab.txt"), byId.values());
    }

    @Test
    void vocabTxtAloneGivesExactlyTheIdsOfTokenizerJson() throws Exception {
        Path json = EncoderFolder.embedded(PlatformConfig.fromSystem().dataLocations().cacheDir()).tokenizer();
        WordPieceTokenizer wp = WordPieceTokenizer.load(vocabFrom(json, tempDir.resolve("minilm")));
        List<String> texts = List.of("seven minus three", "Héllo, World! It's 3.14159...", "unaffable naïve café RÉSUMÉ",
                "中文 text mixed", "xyzzyqxw qqqq", "tabs\tand\nnewlines  double", "don't stop-believing (ok)?",
                "twenty-one plus #hashtag @user", "supercalifragilisticexpialidocious");
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"))) {
            for (String t : texts) {
                long[] expected = hf.encode(t).getIds();
                long[] mask = hf.encode(t).getAttentionMask();
                int n = 0;
                while (n < mask.length && mask[n] != 0) {
                    n++;
                }
                assertThat(wp.encode(t)).as(t).containsExactly(java.util.Arrays.copyOf(expected, n));
            }
        }
        assertThat(wp.padId()).isZero();
    }

    @Test
    void aFolderWithVocabTxtAloneRunsWithTheWordPieceTokenizer() throws Exception {
        Path fixture = FixtureEncodersTest.fixture("tiny-bert");
        Path dir = tempDir.resolve("tiny-bert-vocab");
        vocabFrom(fixture.resolve("tokenizer.json"), dir);
        Files.copy(fixture.resolve("model.onnx"), dir.resolve("model.onnx"));
        EncoderFolder folder = EncoderFolder.of(dir);
        assertThat(folder.wordPiece()).isTrue();
        ExperimentResult r = ExperimentTestKit.quick(new FrozenExperiment(PlatformConfig.fromSystem())).param("encoder", dir)
                .param("headEpochs", 5).in(tempDir.resolve("out")).run();
        assertThat(r.status()).as(String.valueOf(r.error())).isEqualTo(Status.OK);
        assertThat(r.answer("tokenizer")).isEqualTo("WordPiece (vocab.txt)");
    }

    @Test
    void aFairseqVocabWithoutBpeCodesIsRefused() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("bertweet-half"));
        Files.writeString(dir.resolve("vocab.txt"), "the 100\nof 50\n");
        Files.writeString(dir.resolve("model.onnx"), "x");
        assertThat(catchThrowable(() -> EncoderFolder.of(dir))).hasMessageContaining("fairseq").hasMessageContaining("bpe.codes");
    }
}
