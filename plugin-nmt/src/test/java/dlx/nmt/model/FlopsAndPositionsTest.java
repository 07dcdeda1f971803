package dlx.nmt.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class FlopsAndPositionsTest {
    /**
     * d = 2, one layer, vocabulary 3, two tokens, by hand: Q, K, V, O are four 2×2 products per token
     * (4 · 2·2·2 = 32 FLOPs per token), the MLP 2→8→2 two 16-weight products (64), so 96 per token and 192
     * for both; scores 2×2×2 and weighted sum 2×2×2 multiply-adds (2 · 8 · 2 = 32); head 2×3 per token
     * (2 · 6 · 2 = 24). Total 248.
     */
    @Test
    void decoderOnlyFlopsOfATinyModelByHand() {
        assertThat(Flops.decoderOnly(2, 1, 3, 2)).isEqualTo(248.0);
    }

    /**
     * Apart from attention's T×T products, a forward pass multiplies every weight matrix once per token it
     * applies to: 2 FLOPs per weight and token, the weights counted from built DJL models. The decoder-only
     * model applies all its Linear weights to each of its T tokens; the encoder–decoder applies the encoder's
     * and the cross-attention's key and value weights to the S source tokens and the rest to the T decoder tokens.
     */
    @Test
    void flopsMatchTheWeightsOfTheBuiltModels() {
        int d = 16;
        int layers = 2;
        int vocab = 31;
        int s = 7;
        int t = 10;
        try (Model m = Model.newInstance("d")) {
            DecoderOnlyLm lm = new DecoderOnlyLm(vocab, d, 4, layers, 40);
            lm.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, t));
            double weights = linearWeights(lm, name -> true);
            double attention = layers * 4.0 * t * t * d;
            assertThat(Flops.decoderOnly(d, layers, vocab, t)).isEqualTo(2 * t * weights + attention);
        }
        try (Model m = Model.newInstance("e")) {
            EncoderDecoder ed = new EncoderDecoder(vocab, d, 4, layers, 40);
            ed.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, s), new Shape(1, t));
            // DJL names a child "<index><name>": decoder0's key weight is "..decoder0_..crossAttention_..key_weight".
            double encoder = linearWeights(ed, name -> name.contains("encoder"));
            double crossKeyValue = linearWeights(ed, name -> name.contains("crossAttention")
                    && (name.endsWith("key_weight") || name.endsWith("value_weight")));
            double decoderSide = linearWeights(ed, name -> true) - encoder - crossKeyValue;
            double attention = layers * 4.0 * (s * s + t * t + t * s) * d;
            assertThat(Flops.encoderDecoder(d, layers, vocab, s, t))
                    .isEqualTo(2 * s * (encoder + crossKeyValue) + 2 * t * decoderSide + attention);
        }
    }

    /** Elements of the 2-D weight parameters (Linear weights; not biases, norms or the embedding) whose name is chosen. */
    private static double linearWeights(Block block, java.util.function.Predicate<String> chosen) {
        double n = 0;
        for (var p : block.getParameters()) {
            String name = p.getKey();
            NDArray w = p.getValue().getArray();
            if (name.endsWith("_weight") && w.getShape().dimension() == 2 && !name.contains("embedding")
                    && chosen.test(name)) {
                n += w.size();
            }
        }
        return n;
    }

    /** One-hot positions are orthogonal with the sinusoid's norm √(d/2) (Σ sin² + cos² over d/2 pairs); too few dims is refused. */
    @Test
    void oneHotPositionsHaveTheSinusoidsNormAndNeedTheWidth() {
        float[][] oneHot = PositionalEncoding.oneHotTable(6, 8);
        float[][] sin = PositionalEncoding.table(6, 8);
        for (int p = 0; p < 6; p++) {
            assertThat(norm(oneHot[p])).isCloseTo(2.0, within(1e-6));
            assertThat(norm(sin[p])).isCloseTo(2.0, within(1e-5));
            for (int q = 0; q < p; q++) {
                double dot = 0;
                for (int i = 0; i < 8; i++) {
                    dot += oneHot[p][i] * oneHot[q][i];
                }
                assertThat(dot).isZero();
            }
        }
        assertThatThrownBy(() -> PositionalEncoding.oneHotTable(9, 8))
                .hasMessage("one-hot positions need a model width of at least the longest sequence: 9 positions, width 8");
        assertThat(Positions.parse("one-hot")).isEqualTo(Positions.ONE_HOT);
        assertThatThrownBy(() -> Positions.parse("rotary")).hasMessageContaining("'rotary' is not one of none, one-hot");
    }

    /**
     * Without positions the encoder sees a bag of characters: an encoder–decoder gives the same logits for a
     * source and its reverse (self-attention and the MLP are permutation-equivariant, cross-attention sums over
     * the source). With any positional encoding the order matters.
     */
    @Test
    void withoutPositionsTheEncoderCannotTellASourceFromItsReverse() {
        for (Positions kind : Positions.values()) {
            try (Model m = Model.newInstance("p"); NDManager manager = NDManager.newBaseManager()) {
                EncoderDecoder ed = new EncoderDecoder(31, 16, 2, 1, 20, kind);
                ed.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 3), new Shape(1, 4));
                ParameterStore ps = new ParameterStore(manager, false);
                NDArray decoder = manager.create(new long[] {1, 7, 8, 9}, new Shape(1, 4));
                NDArray a = ed.forward(ps, new NDList(manager.create(new long[] {5, 10, 20}, new Shape(1, 3)), decoder), false)
                        .singletonOrThrow();
                NDArray b = ed.forward(ps, new NDList(manager.create(new long[] {20, 10, 5}, new Shape(1, 3)), decoder), false)
                        .singletonOrThrow();
                float gap = a.sub(b).abs().max().getFloat();
                if (kind == Positions.NONE) {
                    assertThat(gap).as(kind.id()).isLessThan(1e-5f);
                } else {
                    assertThat(gap).as(kind.id()).isGreaterThan(1e-3f);
                }
            }
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
