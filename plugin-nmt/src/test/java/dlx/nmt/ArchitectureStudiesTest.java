package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dlx.api.Labels;
import dlx.api.ParamException;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.model.Flops;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchitectureStudiesTest {
    @TempDir
    Path tempDir;

    @Test
    @SuppressWarnings("unchecked")
    void positionalEncodingAblationTrainsEveryEncoding() {
        ExperimentResult r = ExperimentTestKit.quick(new PositionalEncodingExperiment()).param("translate", "team")
                .in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        Map<String, Double> best = (Map<String, Double>) r.answer("bestValLoss");
        Map<String, Double> accuracy = (Map<String, Double>) r.answer("wordAccuracy");
        assertThat(best).containsOnlyKeys("none", "one-hot", "learned", "sinusoidal");
        assertThat(accuracy).containsOnlyKeys(best.keySet());
        for (String e : best.keySet()) {
            // Below uniform guessing over the 31 tokens (ln 31 = 3.43 nats): every variant learns something.
            assertThat(best.get(e)).isLessThan(Math.log(31));
            assertThat(r.series("valLoss", Labels.of("encoding", e))).isNotEmpty();
        }
        // A learned table adds maxLength × width parameters (76 × 32 in the quick profile); the others add none.
        Map<String, Double> params = Map.of("none", r.metric("parameters", Labels.of("encoding", "none")),
                "learned", r.metric("parameters", Labels.of("encoding", "learned")),
                "sinusoidal", r.metric("parameters", Labels.of("encoding", "sinusoidal")));
        assertThat(params.get("learned") - params.get("none")).isEqualTo(76.0 * 32);
        assertThat(params.get("sinusoidal")).isEqualTo(params.get("none"));
        assertThat(r.artifacts()).contains("loss-by-encoding.png", "accuracy-by-encoding.png");
    }

    @Test
    void anUnknownEncodingIsRefusedByNameBeforeAnythingRuns() {
        assertThatThrownBy(() -> ExperimentTestKit.quick(new PositionalEncodingExperiment()).param("encodings", "rotary")
                .in(tempDir).run())
                .isInstanceOf(ParamException.class)
                .hasMessageContaining("parameter 'encodings' of nmt.positional-encoding: value 'rotary' is not allowed; "
                        + "expected comma-separated values of none, one-hot, learned, sinusoidal");
        assertThat(tempDir).isEmptyDirectory();
    }

    /**
     * Parameters by hand (d = 32, one layer per stack, vocabulary 31): a decoder-only block has two layer norms
     * (4d), Q K V O (4d² + d) and the MLP (8d² + 5d); a decoder block of the encoder–decoder adds a layer norm
     * and cross-attention (4d² + 3d); both have the embedding (Vd), a final norm per stack (2d) and the head
     * (dV + V). FLOPs per token and pair are the training batches' expectations of {@link Flops}.
     */
    @Test
    @SuppressWarnings("unchecked")
    void architecturesSideBySide() throws Exception {
        ExperimentResult r = ExperimentTestKit.quick(new CompareArchitecturesExperiment()).param("translate", "team")
                .in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        int d = 32;
        int v = PigLatinData.VOCAB;
        long block = 12L * d * d + 10L * d;
        long decoderOnly = block + (long) v * d + 2L * d + (long) d * v + v;
        long encoderDecoder = block + (block + 4L * d * d + 3L * d) + (long) v * d + 4L * d + (long) d * v + v;
        Map<String, Number> params = (Map<String, Number>) r.answer("parameters");
        assertThat(params.get("decoder-only").longValue()).isEqualTo(decoderOnly);
        assertThat(params.get("encoder-decoder").longValue()).isEqualTo(encoderDecoder);

        PigLatinData data = new PigLatinData(WordList.top(WordList.LARGE), 42);
        double decoderFlops = data.expectedPerBatch(64, (s, t) -> Flops.decoderOnly(d, 1, v, s + t + 2));
        double decoderTokens = data.expectedPerBatch(64, (s, t) -> s + t + 2);
        Map<String, Number> perToken = (Map<String, Number>) r.answer("forwardFlopsPerToken");
        assertThat(perToken.get("decoder-only").doubleValue()).isCloseTo(decoderFlops / decoderTokens, within(1e-6));
        double pairs = data.expectedPerBatch(64, (s, t) -> 1);
        double encDecFlops = data.expectedPerBatch(64, (s, t) -> Flops.encoderDecoder(d, 1, v, s, t + 1));
        Map<String, Number> perPair = (Map<String, Number>) r.answer("forwardFlopsPerPair");
        assertThat(perPair.get("encoder-decoder").doubleValue()).isCloseTo(encDecFlops / pairs, within(1e-6));
        Map<String, Number> trainingFlops = (Map<String, Number>) r.answer("trainingFlops");
        assertThat(trainingFlops.get("decoder-only").doubleValue()).isCloseTo(3 * decoderFlops * 50, within(1e-3));
        for (String key : new String[] {"trainingSeconds", "msPerStep", "bestValLoss", "wordAccuracy"}) {
            assertThat((Map<String, Number>) r.answer(key)).containsOnlyKeys("encoder-decoder", "decoder-only");
        }
        assertThat(r.artifacts()).contains("architectures.csv", "loss-by-architecture.png");
    }
}
