package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.api.Device;
import dlx.api.Experiment;
import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.kit.djl.EngineThreads;
import dlx.kit.onnx.OrtSettings;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny random encoders of src/test/python/make_fixtures.py: a BERT-layout export with a
 * WordPiece tokenizer.json and a RoBERTa-layout (BERTweet-like) export with fastBPE vocab.txt +
 * bpe.codes and no token_type_ids input. The pipeline, not accuracy, is what is tested here.
 */
class FixtureEncodersTest {
    @TempDir
    Path tempDir;

    static Path fixture(String name) throws Exception {
        return Path.of(FixtureEncodersTest.class.getResource("/fixtures/" + name).toURI());
    }

    @Test
    void fastBpeMergesByRankWithContinuationMarksAndUnknownPieces() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("bpe"));
        Files.writeString(dir.resolve("bpe.codes"), "l o 5\nlo w</w> 4\ne r</w> 3\nlo w 2\n");
        Files.writeString(dir.resolve("vocab.txt"), "low 9\nlow@@ 4\ner 3\ns@@ 1\n");
        FastBpeTokenizer t = FastBpeTokenizer.load(dir.resolve("vocab.txt"), dir.resolve("bpe.codes"), false);
        // <s>=0 <pad>=1 </s>=2 <unk>=3, then low=4 low@@=5 er=6 s@@=7, <mask>=8
        assertThat(t.vocabularySize()).isEqualTo(9);
        assertThat(t.token(8)).isEqualTo("<mask>");
        // lower: l o w e r</w> -> lo w e r</w> -> lo w er</w> -> low er</w> -> "low@@ er"
        assertThat(t.pieces("low lower slow x")).containsExactly("low", "low@@", "er", "s@@", "low", "x");
        assertThat(t.encode("low lower slow x")).containsExactly(0, 4, 5, 6, 7, 4, 3, 2);
        assertThat(t.encodePair("low", "er")).containsExactly(0, 4, 2, 2, 6, 2);
    }

    @Test
    void fastBpeAgreesWithThePythonReferenceOfTheFixture() throws Exception {
        Path dir = fixture("tiny-roberta");
        FastBpeTokenizer t = FastBpeTokenizer.load(dir.resolve("vocab.txt"), dir.resolve("bpe.codes"), false);
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected-tokens.json").toFile());
        for (var it = expected.fields(); it.hasNext(); ) {
            var e = it.next();
            List<Long> ids = new ArrayList<>();
            e.getValue().get("ids").forEach(n -> ids.add(n.asLong()));
            List<String> pieces = new ArrayList<>();
            e.getValue().get("pieces").forEach(n -> pieces.add(n.asText()));
            assertThat(t.pieces(e.getKey())).as(e.getKey()).containsExactlyElementsOf(pieces);
            assertThat(t.encode(e.getKey())).as(e.getKey()).containsExactly(ids.stream().mapToLong(Long::longValue).toArray());
        }
    }

    @Test
    void tweetNormalisation() {
        assertThat(FastBpeTokenizer.normalizeTweet("@john check https://t.co/x 😂"))
                .isEqualTo("@USER check HTTPURL :face_with_tears_of_joy:");
        assertThat(FastBpeTokenizer.normalizeTweet("I can't go, it’s late…")).isEqualTo("I can't go , it 's late ...");
    }

    @Test
    void foldersAreRecognisedByTheirTokenizerFiles() throws Exception {
        try (OnnxEncoder bert = OnnxEncoder.open(EncoderFolder.of(fixture("tiny-bert")), Device.CPU, OrtSettings.DEFAULTS, l -> { });
             OnnxEncoder roberta = OnnxEncoder.open(EncoderFolder.of(fixture("tiny-roberta")), Device.CPU, OrtSettings.DEFAULTS,
                     l -> { })) {
            assertThat(bert.folder().fastBpe()).isFalse();
            assertThat(bert.usesTokenTypes()).isTrue();
            assertThat(bert.tokens("seven minus three")).containsExactly("[CLS]", "seven", "minus", "three", "[SEP]");
            assertThat(roberta.folder().fastBpe()).isTrue();
            assertThat(roberta.usesTokenTypes()).isFalse();
            assertThat(roberta.padId()).isEqualTo(1);
            assertThat(TokenizerFiles.robertaFamily(fixture("tiny-roberta"))).isTrue();
            assertThat(TokenizerFiles.robertaFamily(fixture("tiny-bert"))).isFalse();
            OnnxEncoder.Batch b = roberta.tokenize(List.of("seven minus three", "one"));
            assertThat(b.ids()[1]).startsWith(0L).endsWith(1L); // padded with <pad> = 1
            assertThat(roberta.hidden(b)[0][0]).hasSize(16);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-bert", "tiny-roberta"})
    void weightImportMatchesOnnxRuntimeOnPaddedBatches(String name) throws Exception {
        EngineThreads.configure();
        EncoderFolder folder = EncoderFolder.of(fixture(name));
        BertWeights w = BertWeights.load(folder);
        assertThat(w.layers()).isEqualTo(2);
        assertThat(w.heads()).isEqualTo(2);
        assertThat(w.layout()).isEqualTo(name.equals("tiny-bert") ? "BERT" : "RoBERTa");
        try (OnnxEncoder encoder = OnnxEncoder.open(folder, Device.CPU, OrtSettings.DEFAULTS, l -> { });
             NDManager manager = NDManager.newBaseManager();
             DjlBert bert = new DjlBert(manager, w)) {
            double diff = FineTunedModel.maxAbsDifference(bert, encoder,
                    List.of("seven minus three", "twenty", "seventeen plus eleven plus nineteen", "zero"));
            assertThat(diff).isLessThan(1e-3);
        }
    }

    @Test
    void unplaceableWeightsAreNamed() throws Exception {
        // a folder whose model is not an encoder: the tiny BERT's tokenizer with a model lacking layers
        Path dir = Files.createDirectories(tempDir.resolve("not-bert"));
        Files.copy(fixture("tiny-bert").resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.write(dir.resolve("model.onnx"), new byte[] {0x3a, 0x00}); // graph field, empty
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> BertWeights.load(EncoderFolder.of(dir))))
                .hasMessageContaining("could not be mapped to a BERT encoder").hasMessageContaining("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-bert", "tiny-roberta"})
    void everyExperimentRunsOnTheFixture(String name) throws Exception {
        String dir = fixture(name).toString();
        PlatformConfig config = PlatformConfig.fromSystem();
        List<Experiment> experiments = List.of(new FrozenExperiment(config), new FinetuneExperiment(config),
                new ComparePretrainingExperiment(config), new InspectExperiment(config));
        for (Experiment e : experiments) {
            Map<String, String> params = e instanceof FrozenExperiment || e instanceof FinetuneExperiment
                    ? Map.of("profile", "quick", "encoder", dir, "headEpochs", "5")
                    : e instanceof InspectExperiment
                    ? Map.of("profile", "quick", "encoders", dir, "headEpochs", "5", "finetune", "true")
                    : Map.of("profile", "quick", "encoders", dir, "headEpochs", "5", "tweetNormalization", "true");
            ExperimentResult r = ExperimentTestKit.quick(e).params(params).in(tempDir.resolve(name)).run();
            assertThat(r.status()).as(r.experiment() + ": " + r.error()).isEqualTo(Status.OK);
            if (e instanceof InspectExperiment) {
                assertThat(r.answer("models")).isEqualTo(List.of(name, name + " fine-tuned"));
                assertThat(r.metric("importMaxAbsDiff", Labels.of("encoder", name))).isLessThan(1e-3);
                assertThat(r.series("valAccuracy", Labels.of("encoder", name, "training", "fine-tuned"))).hasSize(2);
            }
            if (e instanceof FinetuneExperiment) {
                assertThat(r.answer("layout")).isEqualTo(name.equals("tiny-bert") ? "BERT" : "RoBERTa");
                assertThat(r.answer("tokenizer")).asString().startsWith(name.equals("tiny-bert") ? "tokenizer.json" : "fastBPE");
            }
        }
    }
}
