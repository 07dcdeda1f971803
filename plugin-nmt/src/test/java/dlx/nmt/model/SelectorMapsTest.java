package dlx.nmt.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlx.nmt.data.SelectTask;
import dlx.nmt.train.Batch;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectorMapsTest {
    private static final SelectTask TASK = new SelectTask(SelectTask.Mode.CONTENT, 16, 10, 8, 64, 1, 3);

    /**
     * The hand-coded content selector and a copy transformed by every symmetry SelectorMaps removes:
     * W_q → √((K+1)/K)·A W_q and W_k → A⁻ᵀ W_k (A = diagonal × permutation) with one more key row that adds
     * a per-query constant to every token's score (query key c gets u_c; every token has one value feature);
     * W_v → B W_v, W_o → W_o B⁻¹ with one more value row cᵀ·x and a column of ones in W_o (adds cᵀx to
     * every class). DJL computes the same attention and class logits up to a per-example constant, and
     * both maps are identical up to scale: cosine 1.
     */
    @Test
    void theSymmetriesLeaveTheSelectorAndItsMapsUnchanged() throws Exception {
        float[][][] hand = TASK.handCodedWeights(12f);
        Random r = new Random(5);
        int k = hand[0].length;
        int w = TASK.width();
        int[] perm = permutation(k, r);
        double[] d = positive(k, r);
        float[][] wq = new float[k + 1][w];
        float[][] wk = new float[k + 1][w];
        double rescale = Math.sqrt((k + 1.0) / k);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < w; j++) {
                // (A W_q)[i] = d_i W_q[perm_i]; (A⁻ᵀ W_k)[i] = W_k[perm_i] / d_i.
                wq[i][j] = (float) (rescale * d[i] * hand[0][perm[i]][j]);
                wk[i][j] = (float) (hand[1][perm[i]][j] / d[i]);
            }
        }
        for (int c = 0; c < TASK.keys(); c++) {
            wq[k][TASK.keyOffset() + c] = (float) (r.nextGaussian() * 3 * Math.sqrt(k + 1.0));
        }
        for (int v = 0; v < TASK.values(); v++) {
            wk[k][TASK.valueOffset() + v] = 1f;
        }
        int values = hand[2].length;
        int[] vPerm = permutation(values, r);
        double[] b = positive(values, r);
        float[][] wv = new float[values + 1][w];
        float[][] wo = new float[hand[3].length][values + 1];
        for (int i = 0; i < values; i++) {
            for (int j = 0; j < w; j++) {
                wv[i][j] = (float) (b[i] * hand[2][vPerm[i]][j]);
            }
            for (int c = 0; c < wo.length; c++) {
                wo[c][i] = (float) (hand[3][c][vPerm[i]] / b[i]);
            }
        }
        for (int j = 0; j < w; j++) {
            wv[values][j] = (float) r.nextGaussian();
        }
        for (int c = 0; c < wo.length; c++) {
            wo[c][values] = 1f;
        }
        float[][][] moved = {wq, wk, wv, wo};

        try (Model a = Model.newInstance("hand"); Model m = Model.newInstance("moved")) {
            AttentionSelector handBlock = selector(a, k, values, hand);
            AttentionSelector movedBlock = selector(m, k + 1, values + 1, moved);
            try (NDManager manager = NDManager.newBaseManager()) {
                Batch batch = TASK.encode(manager, TASK.examples(new Random(9), 200));
                NDList out1 = handBlock.forward(new ParameterStore(manager, false), batch.inputs(), false);
                NDList out2 = movedBlock.forward(new ParameterStore(manager, false), batch.inputs(), false);
                float[] att1 = out1.get(1).toFloatArray();
                float[] att2 = out2.get(1).toFloatArray();
                for (int i = 0; i < att1.length; i++) {
                    assertThat(att2[i]).isCloseTo(att1[i], within(1e-4f));
                }
                float[] z1 = out1.get(0).sub(out1.get(0).mean(new int[] {1}, true)).toFloatArray();
                float[] z2 = out2.get(0).sub(out2.get(0).mean(new int[] {1}, true)).toFloatArray();
                for (int i = 0; i < z1.length; i++) {
                    assertThat(z2[i]).isCloseTo(z1[i], within(1e-3f));
                }
            }
        }
        SelectorMaps h = SelectorMaps.of(hand, TASK.queries(), TASK.tokenBlocks());
        SelectorMaps t = SelectorMaps.of(moved, TASK.queries(), TASK.tokenBlocks());
        assertThat(SelectorMaps.cosine(h.logits(), t.logits())).isCloseTo(1.0, within(1e-6));
        assertThat(SelectorMaps.cosine(h.output(), t.output())).isCloseTo(1.0, within(1e-6));
    }

    /**
     * The hand-coded scores plus γ on (flag, position 0), which every query has: per query the key block
     * centred has norm² 12²(K−1)/K and the new position block γ²(P−1)/P, orthogonal to it, so the cosine is
     * √(144(K−1) / (144(K−1) + K γ² (P−1)/P)) = √(2160 / 4176) for K = 16, P = 8, γ = 12.
     */
    @Test
    void anAttentionTermOnPositionsLowersTheScoreSimilarityAsComputedByHand() {
        float[][][] hand = TASK.handCodedWeights(12f);
        int k = hand[0].length;
        int w = TASK.width();
        float[][] wq = new float[k + 1][w];
        float[][] wk = new float[k + 1][w];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < w; j++) {
                wq[i][j] = (float) (hand[0][i][j] * Math.sqrt((k + 1.0) / k));
                wk[i][j] = hand[1][i][j];
            }
        }
        wq[k][TASK.flagOffset()] = (float) (12 * Math.sqrt(k + 1.0));
        wk[k][TASK.positionOffset()] = 1f;
        SelectorMaps h = SelectorMaps.of(hand, TASK.queries(), TASK.tokenBlocks());
        SelectorMaps g = SelectorMaps.of(new float[][][] {wq, wk, hand[2], hand[3]}, TASK.queries(), TASK.tokenBlocks());
        assertThat(SelectorMaps.cosine(h.logits(), g.logits())).isCloseTo(Math.sqrt(2160.0 / 4176.0), within(1e-6));
        assertThat(SelectorMaps.cosine(h.output(), g.output())).isCloseTo(1.0, within(1e-12));
    }

    private static AttentionSelector selector(Model model, int keyDim, int valueDim, float[][][] weights) {
        AttentionSelector s = new AttentionSelector(keyDim, valueDim, TASK.values());
        model.setBlock(s);
        s.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, TASK.width()),
                new Shape(1, TASK.length(), TASK.width()));
        s.setWeights(weights[0], weights[1], weights[2], weights[3]);
        return s;
    }

    private static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double[] positive(int n, Random r) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = 0.5 + 1.5 * r.nextDouble();
        }
        return d;
    }
}
