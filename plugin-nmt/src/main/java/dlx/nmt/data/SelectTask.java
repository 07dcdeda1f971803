package dlx.nmt.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dlx.nmt.train.Batch;
import dlx.nmt.train.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The selection tasks. A sequence has {@code length} tokens; token i carries a key (distinct
 * within the sequence, out of {@code keys}), a value (out of {@code values}) and its position,
 * encoded as one-hot blocks {@code [key | value | position | 1-flag]} of width {@link #width()}.
 * By content: the query is a key of the sequence (plus the flag) and the answer is that token's
 * value. By position: the query is the flag alone and the answer is the first token's value.
 */
public final class SelectTask implements BatchSource {
    public enum Mode { CONTENT, POSITION }

    private final Mode mode;
    private final int keys;
    private final int values;
    private final int length;
    private final int batchSize;
    private final int validationBatches;
    private final long seed;

    public SelectTask(Mode mode, int keys, int values, int length, int batchSize, int validationBatches, long seed) {
        if (length > keys) {
            throw new IllegalArgumentException("need at least as many keys (" + keys + ") as positions (" + length + ")");
        }
        this.mode = mode;
        this.keys = keys;
        this.values = values;
        this.length = length;
        this.batchSize = batchSize;
        this.validationBatches = validationBatches;
        this.seed = seed;
    }

    public Mode mode() { return mode; }
    public int keys() { return keys; }
    public int values() { return values; }
    public int length() { return length; }

    public int width() {
        return keys + values + length + 1;
    }

    public int keyOffset() { return 0; }
    public int valueOffset() { return keys; }
    public int positionOffset() { return keys + values; }
    public int flagOffset() { return keys + values + length; }

    /** The query vectors the task asks: each key with the flag (by content), or the flag alone (by position). */
    public List<double[]> queries() {
        List<double[]> out = new ArrayList<>();
        for (int c = 0; c < (mode == Mode.CONTENT ? keys : 1); c++) {
            double[] q = new double[width()];
            if (mode == Mode.CONTENT) {
                q[keyOffset() + c] = 1;
            }
            q[flagOffset()] = 1;
            out.add(q);
        }
        return out;
    }

    /** The feature indices of a token's blocks (key, value, position): each token has one active feature in each. */
    public List<int[]> tokenBlocks() {
        return List.of(range(keyOffset(), keys), range(valueOffset(), values), range(positionOffset(), length));
    }

    private static int[] range(int from, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** One example: its keys, values, the queried position and the answer. */
    public record Example(int[] keys, int[] values, int target, int answer) { }

    public Example sample(Random random) {
        int[] perm = new int[keys];
        for (int i = 0; i < keys; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < length; i++) {
            int j = i + random.nextInt(keys - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] k = new int[length];
        int[] v = new int[length];
        for (int i = 0; i < length; i++) {
            k[i] = perm[i];
            v[i] = random.nextInt(values);
        }
        int target = mode == Mode.CONTENT ? random.nextInt(length) : 0;
        return new Example(k, v, target, v[target]);
    }

    /** Query features {@code (n, width)}, sequence features {@code (n, length, width)}, answers. */
    public Batch encode(NDManager manager, List<Example> examples) {
        int n = examples.size();
        int w = width();
        float[] query = new float[n * w];
        float[] seq = new float[n * length * w];
        long[] labels = new long[n];
        for (int e = 0; e < n; e++) {
            Example ex = examples.get(e);
            if (mode == Mode.CONTENT) {
                query[e * w + keyOffset() + ex.keys()[ex.target()]] = 1f;
            }
            query[e * w + flagOffset()] = 1f;
            for (int i = 0; i < length; i++) {
                int base = (e * length + i) * w;
                seq[base + keyOffset() + ex.keys()[i]] = 1f;
                seq[base + valueOffset() + ex.values()[i]] = 1f;
                seq[base + positionOffset() + i] = 1f;
            }
            labels[e] = ex.answer();
        }
        NDList inputs = new NDList(manager.create(query, new Shape(n, w)), manager.create(seq, new Shape(n, length, w)));
        return new Batch(inputs, manager.create(labels), null, n);
    }

    public List<Example> examples(Random random, int n) {
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sample(random));
        }
        return out;
    }

    @Override
    public Batch train(NDManager manager, Random random) {
        return encode(manager, examples(random, batchSize));
    }

    @Override
    public List<Batch> validation(NDManager manager) {
        Random r = new Random(seed ^ 0x5E1EC7L);
        List<Batch> out = new ArrayList<>();
        for (int b = 0; b < validationBatches; b++) {
            out.add(encode(manager, examples(r, batchSize)));
        }
        return out;
    }

    /**
     * Weights {@code W_q, W_k, W_v, W_o} that solve the task exactly: the query and key maps pick
     * the key one-hots (by content) or the flag and the first position (by position) scaled so the
     * matching score is {@code sharpness}; W_v copies the value one-hot and W_o scales it into logits.
     * Key width: {@code keys} (content) or {@code length} (position); value width: {@code values}.
     */
    public float[][][] handCodedWeights(float sharpness) {
        int w = width();
        int keyDim = mode == Mode.CONTENT ? keys : length;
        float scale = (float) (sharpness * Math.sqrt(keyDim));
        float[][] wq = new float[keyDim][w];
        float[][] wk = new float[keyDim][w];
        if (mode == Mode.CONTENT) {
            for (int c = 0; c < keys; c++) {
                wq[c][keyOffset() + c] = scale;
                wk[c][keyOffset() + c] = 1f;
            }
        } else {
            wq[0][flagOffset()] = scale;
            for (int c = 0; c < length; c++) {
                wk[c][positionOffset() + c] = 1f;
            }
        }
        float[][] wv = new float[values][w];
        float[][] wo = new float[values][values];
        for (int c = 0; c < values; c++) {
            wv[c][valueOffset() + c] = 1f;
            wo[c][c] = 10f;
        }
        return new float[][][] {wq, wk, wv, wo};
    }
}
