package dlx.nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Random;

/** Autoregressive decoding with a model that maps ids {@code (1, T)} to logits {@code (1, T, V)}. */
public final class Generation {
    private Generation() { }

    /** Samples {@code count} tokens after {@code prompt}, the model seeing at most {@code context} of the latest. */
    public static int[] sample(Block lm, NDManager manager, int[] prompt, int count, int context, Random random,
                               double temperature) {
        int[] seq = Arrays.copyOf(prompt, prompt.length + count);
        int n = prompt.length;
        for (int i = 0; i < count; i++) {
            float[] logits = lastLogits(lm, manager, seq, n, context);
            seq[n++] = draw(logits, random, temperature);
        }
        return Arrays.copyOfRange(seq, prompt.length, n);
    }

    /**
     * Greedy decoding: appends the most likely token until {@code stop} is produced or
     * {@code maxTokens} tokens are added; returns the added tokens without the stop token.
     */
    public static int[] greedy(Block lm, NDManager manager, int[] prompt, int maxTokens, int context, int stop) {
        int[] seq = Arrays.copyOf(prompt, prompt.length + maxTokens);
        int n = prompt.length;
        for (int i = 0; i < maxTokens; i++) {
            float[] logits = lastLogits(lm, manager, seq, n, context);
            int best = 0;
            for (int v = 1; v < logits.length; v++) {
                if (logits[v] > logits[best]) {
                    best = v;
                }
            }
            if (best == stop) {
                break;
            }
            seq[n++] = best;
        }
        return Arrays.copyOfRange(seq, prompt.length, n);
    }

    private static float[] lastLogits(Block lm, NDManager manager, int[] seq, int n, int context) {
        int from = Math.max(0, n - context);
        long[] window = new long[n - from];
        for (int t = from; t < n; t++) {
            window[t - from] = seq[t];
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = m.create(window, new Shape(1, window.length));
            NDList out = lm.forward(new ParameterStore(m, false), new NDList(ids), false);
            return out.get(0).get(new NDIndex(0, window.length - 1)).toFloatArray();
        }
    }

    /** Draws from softmax(logits / temperature). */
    public static int draw(float[] logits, Random random, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double z = 0;
        for (int v = 0; v < p.length; v++) {
            p[v] = Math.exp((logits[v] - max) / temperature);
            z += p[v];
        }
        double u = random.nextDouble() * z;
        for (int v = 0; v < p.length; v++) {
            u -= p[v];
            if (u <= 0) {
                return v;
            }
        }
        return p.length - 1;
    }

    /**
     * Greedy decoding with an encoder–decoder model: the decoder input starts as {@code (start)} and
     * grows by the most likely token until {@code stop} or {@code maxTokens}; returns the tokens without
     * start and stop.
     */
    public static int[] greedySeq2Seq(Block model, NDManager manager, int[] source, int maxTokens, int start, int stop) {
        long[] src = new long[source.length];
        for (int i = 0; i < src.length; i++) {
            src[i] = source[i];
        }
        long[] dec = new long[maxTokens + 1];
        dec[0] = start;
        int n = 1;
        for (int i = 0; i < maxTokens; i++) {
            float[] logits;
            try (NDManager m = manager.newSubManager()) {
                NDArray s = m.create(src, new Shape(1, src.length));
                NDArray d = m.create(Arrays.copyOf(dec, n), new Shape(1, n));
                NDList out = model.forward(new ParameterStore(m, false), new NDList(s, d), false);
                logits = out.get(0).get(new NDIndex(0, n - 1)).toFloatArray();
            }
            int best = 0;
            for (int v = 1; v < logits.length; v++) {
                if (logits[v] > logits[best]) {
                    best = v;
                }
            }
            if (best == stop) {
                break;
            }
            dec[n++] = best;
        }
        int[] out = new int[n - 1];
        for (int i = 1; i < n; i++) {
            out[i - 1] = (int) dec[i];
        }
        return out;
    }
}
