package dlx.nmt.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlx.nmt.train.Batch;
import dlx.nmt.train.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * A character corpus: vocabulary (the sorted distinct characters), the text as ids, a
 * train/validation split at {@code trainFraction}, and windows of {@code context + 1} characters
 * as batches (inputs = the first {@code context}, labels = the same shifted by one).
 */
public final class CharCorpus {
    private final char[] vocab;
    private final int[] index = new int[Character.MAX_VALUE + 1];
    private final int[] ids;
    private final int split;

    public CharCorpus(String text, double trainFraction) {
        TreeSet<Character> chars = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) {
            chars.add(text.charAt(i));
        }
        vocab = new char[chars.size()];
        int n = 0;
        java.util.Arrays.fill(index, -1);
        for (char c : chars) {
            index[c] = n;
            vocab[n++] = c;
        }
        ids = encode(text);
        split = (int) (trainFraction * ids.length);
    }

    public int vocabSize() { return vocab.length; }
    public int length() { return ids.length; }
    public int trainLength() { return split; }
    public int validationLength() { return ids.length - split; }

    public int[] encode(String s) {
        int[] out = new int[s.length()];
        for (int i = 0; i < out.length; i++) {
            int id = index[s.charAt(i)];
            if (id < 0) {
                throw new IllegalArgumentException("character '" + s.charAt(i) + "' is not in the vocabulary");
            }
            out[i] = id;
        }
        return out;
    }

    public String decode(int[] tokens) {
        StringBuilder s = new StringBuilder(tokens.length);
        for (int t : tokens) {
            s.append(vocab[t]);
        }
        return s.toString();
    }

    /** Batches of {@code batchSize} windows; validation uses {@code validationBatches} fixed windows. */
    public BatchSource batches(int context, int batchSize, int validationBatches, long seed) {
        return new BatchSource() {
            @Override
            public Batch train(NDManager manager, Random random) {
                return window(manager, random, 0, split, context, batchSize);
            }

            @Override
            public List<Batch> validation(NDManager manager) {
                Random r = new Random(seed ^ 0x7A1L);
                List<Batch> out = new ArrayList<>();
                for (int b = 0; b < validationBatches; b++) {
                    out.add(window(manager, r, split, ids.length, context, batchSize));
                }
                return out;
            }
        };
    }

    private Batch window(NDManager manager, Random random, int from, int to, int context, int batchSize) {
        long[] x = new long[batchSize * context];
        long[] y = new long[batchSize * context];
        for (int b = 0; b < batchSize; b++) {
            int start = from + random.nextInt(to - from - context - 1);
            for (int t = 0; t < context; t++) {
                x[b * context + t] = ids[start + t];
                y[b * context + t] = ids[start + t + 1];
            }
        }
        Shape shape = new Shape(batchSize, context);
        return new Batch(new NDList(manager.create(x, shape)), manager.create(y, shape), null, (long) batchSize * context);
    }
}
