package dlx.nmt.model;

import java.util.List;

/**
 * What a one-layer selector ({@link AttentionSelector}) computes, free of the symmetries that leave
 * its outputs unchanged, so that hand-coded and learned weights can be compared (EECS182 Q2(b,c)).
 *
 * <p>Attention: the scores are qᵀ W_qᵀ W_k x / √k, so only M = W_qᵀ W_k / √k matters (W_q → A W_q,
 * W_k → A⁻ᵀ W_k changes nothing, nor does the key width). For each query the task asks, the row
 * qᵀM gives the score contribution of every token feature. Every token has exactly one active
 * feature in each block (its key, its value, its position), so adding a constant to one block's
 * contributions adds it to every token's score, which the softmax over tokens ignores: each block
 * is centred (its mean removed) per query. The result determines every score difference.
 *
 * <p>Output: the class logits are W_o Σᵢ aᵢ W_v xᵢ, so only P = W_o W_v matters (W_v → B W_v,
 * W_o → W_o B⁻¹). The softmax over classes ignores a constant added to all classes, and the
 * weights aᵢ sum to one, so each column of P may shift by a class-constant (it is centred over the
 * classes), and a column vector may move from one block to another (each token holds one feature of
 * each): each block's mean column is removed and their sum kept as one extra column.
 *
 * <p>Two selectors compute the same function up to their attention temperature and output scale
 * when their maps are parallel; {@link #cosine} measures it (1: same function up to those scales).
 *
 * @param logits per query asked, the centred score contribution of each token feature (blocks in order)
 * @param output per class, the centred output of each token feature, then the sum of the block means
 */
public record SelectorMaps(double[][] logits, double[][] output) {

    /**
     * @param w       W_q, W_k, W_v, W_o, each {@code [out][in]} (DJL's layout)
     * @param queries the query feature vectors the task asks (content: each key with the flag; position: the flag)
     * @param blocks  the feature indices of each token block; a token has exactly one active feature per block
     */
    public static SelectorMaps of(float[][][] w, List<double[]> queries, List<int[]> blocks) {
        float[][] wq = w[0];
        float[][] wk = w[1];
        float[][] wv = w[2];
        float[][] wo = w[3];
        int width = wq[0].length;
        int features = blocks.stream().mapToInt(b -> b.length).sum();
        double scale = 1 / Math.sqrt(wq.length);
        double[][] logits = new double[queries.size()][];
        for (int n = 0; n < queries.size(); n++) {
            double[] q = queries.get(n);
            // qᵀ W_qᵀ: the query's projection, then its score with every feature's key.
            double[] projected = new double[wq.length];
            for (int r = 0; r < wq.length; r++) {
                for (int i = 0; i < width; i++) {
                    projected[r] += wq[r][i] * q[i];
                }
            }
            double[] row = new double[width];
            for (int j = 0; j < width; j++) {
                for (int r = 0; r < wk.length; r++) {
                    row[j] += projected[r] * wk[r][j] * scale;
                }
            }
            logits[n] = centredBlocks(row, blocks, features);
        }
        int classes = wo.length;
        double[][] p = new double[classes][width];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < width; j++) {
                for (int r = 0; r < wv.length; r++) {
                    p[c][j] += wo[c][r] * wv[r][j];
                }
            }
        }
        // Centre every column over the classes.
        for (int j = 0; j < width; j++) {
            double mean = 0;
            for (int c = 0; c < classes; c++) {
                mean += p[c][j] / classes;
            }
            for (int c = 0; c < classes; c++) {
                p[c][j] -= mean;
            }
        }
        double[][] output = new double[classes][];
        for (int c = 0; c < classes; c++) {
            double[] centred = centredBlocks(p[c], blocks, features);
            double[] withMeans = new double[features + 1];
            System.arraycopy(centred, 0, withMeans, 0, features);
            for (int[] block : blocks) {
                for (int j : block) {
                    withMeans[features] += p[c][j] / block.length;
                }
            }
            output[c] = withMeans;
        }
        return new SelectorMaps(logits, output);
    }

    /** The block features of {@code row}, each block minus its mean, blocks one after the other. */
    private static double[] centredBlocks(double[] row, List<int[]> blocks, int features) {
        double[] out = new double[features];
        int k = 0;
        for (int[] block : blocks) {
            double mean = 0;
            for (int j : block) {
                mean += row[j] / block.length;
            }
            for (int j : block) {
                out[k++] = row[j] - mean;
            }
        }
        return out;
    }

    /** Cosine similarity of two maps of the same shape, as flat vectors. */
    public static double cosine(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("maps of " + a.length + " and " + b.length + " rows");
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                dot += a[i][j] * b[i][j];
                na += a[i][j] * a[i][j];
                nb += b[i][j] * b[i][j];
            }
        }
        return dot / Math.sqrt(na * nb);
    }
}
