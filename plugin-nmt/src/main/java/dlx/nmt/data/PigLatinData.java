package dlx.nmt.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlx.nmt.train.Batch;
import dlx.nmt.train.BatchSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * English → Pig Latin word pairs at character level: vocabulary {@code <PAD> <SOS> <EOS> <EOP> - a..z},
 * a shuffled train/validation/test split (80/10/10, fixed seed), and batches of pairs of equal
 * (source length, target length), so no padding is needed. Two layouts:
 * encoder–decoder (source ids; decoder input {@code <SOS> t}; labels {@code t <EOS>}) and
 * decoder-only (input {@code <SOS> s <EOP> t}; labels {@code s <EOP> t <EOS>}; loss mask 1 only on
 * the {@code t <EOS>} part).
 */
public final class PigLatinData {
    public static final int PAD = 0;
    public static final int SOS = 1;
    public static final int EOS = 2;
    public static final int EOP = 3;
    public static final int HYPHEN = 4;
    public static final int VOCAB = 5 + 26;

    public record Pair(String source, String target) { }

    private final List<Pair> train;
    private final List<Pair> validation;
    private final List<Pair> test;

    public PigLatinData(List<String> words, long seed) {
        List<Pair> all = new ArrayList<>();
        for (String w : words) {
            all.add(new Pair(w, PigLatin.word(w)));
        }
        Collections.shuffle(all, new Random(seed));
        int nVal = all.size() / 10;
        int nTest = all.size() / 10;
        test = List.copyOf(all.subList(0, nTest));
        validation = List.copyOf(all.subList(nTest, nTest + nVal));
        train = List.copyOf(all.subList(nTest + nVal, all.size()));
    }

    public List<Pair> train() { return train; }
    public List<Pair> validation() { return validation; }
    public List<Pair> test() { return test; }

    public static int id(char c) {
        if (c == '-') {
            return HYPHEN;
        }
        if (c < 'a' || c > 'z') {
            throw new IllegalArgumentException("character '" + c + "' is not in the vocabulary");
        }
        return 5 + (c - 'a');
    }

    public static char character(int id) {
        if (id == HYPHEN) {
            return '-';
        }
        if (id < 5 || id >= VOCAB) {
            throw new IllegalArgumentException("token " + id + " is not a character");
        }
        return (char) ('a' + id - 5);
    }

    public static int[] ids(String s) {
        int[] out = new int[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(s.charAt(i));
        }
        return out;
    }

    public static String text(int[] ids) {
        StringBuilder s = new StringBuilder();
        for (int id : ids) {
            s.append(character(id));
        }
        return s.toString();
    }

    /** Decoder-only input {@code <SOS> s <EOP> t}. */
    public static int[] decoderOnlyInput(String s, String t) {
        int[] out = new int[s.length() + t.length() + 2];
        out[0] = SOS;
        int[] si = ids(s);
        System.arraycopy(si, 0, out, 1, si.length);
        out[si.length + 1] = EOP;
        int[] ti = ids(t);
        System.arraycopy(ti, 0, out, si.length + 2, ti.length);
        return out;
    }

    /** Decoder-only labels {@code s <EOP> t <EOS>} (the input shifted by one). */
    public static int[] decoderOnlyLabels(String s, String t) {
        int[] in = decoderOnlyInput(s, t);
        int[] out = new int[in.length];
        System.arraycopy(in, 1, out, 0, in.length - 1);
        out[in.length - 1] = EOS;
        return out;
    }

    /** 1 where the label belongs to {@code t <EOS>}, 0 on the {@code s <EOP>} part. */
    public static float[] decoderOnlyMask(String s, String t) {
        float[] m = new float[s.length() + t.length() + 2];
        for (int i = s.length() + 1; i < m.length; i++) {
            m[i] = 1f;
        }
        return m;
    }

    /** Decoder-only prompt for translation: {@code <SOS> s <EOP>}. */
    public static int[] decoderOnlyPrompt(String s) {
        int[] in = new int[s.length() + 2];
        in[0] = SOS;
        System.arraycopy(ids(s), 0, in, 1, s.length());
        in[s.length() + 1] = EOP;
        return in;
    }

    /** Groups pairs by (source length, target length). */
    public static Map<String, List<Pair>> groups(List<Pair> pairs) {
        Map<String, List<Pair>> g = new LinkedHashMap<>();
        for (Pair p : pairs) {
            g.computeIfAbsent(p.source().length() + "x" + p.target().length(), k -> new ArrayList<>()).add(p);
        }
        return g;
    }

    public enum Layout {
        ENCODER_DECODER, DECODER_ONLY;

        /** Tokens the model processes for one pair: source + decoder input, or {@code <SOS> s <EOP> t}. */
        public int tokens(int sourceLength, int targetLength) {
            return this == ENCODER_DECODER ? sourceLength + targetLength + 1 : sourceLength + targetLength + 2;
        }
    }

    /** A number per pair, by its source and target lengths (tokens, FLOPs). */
    @FunctionalInterface
    public interface PairMeasure {
        double of(int sourceLength, int targetLength);
    }

    /**
     * The expected sum of {@code measure} over the pairs of one training batch of {@link #batches}: a
     * (source length, target length) group is drawn with probability |group| / |train| and gives
     * min(batchSize, |group|) pairs.
     */
    public double expectedPerBatch(int batchSize, PairMeasure measure) {
        double sum = 0;
        for (List<Pair> group : groups(train).values()) {
            Pair p = group.get(0);
            sum += (double) group.size() / train.size() * Math.min(batchSize, group.size())
                    * measure.of(p.source().length(), p.target().length());
        }
        return sum;
    }

    /**
     * Batches of one (source length, target length) group each: a group is drawn with probability
     * proportional to its size, then up to {@code batchSize} of its pairs. Validation: every
     * validation pair once, in batches per group.
     */
    public BatchSource batches(Layout layout, int batchSize) {
        List<List<Pair>> trainGroups = new ArrayList<>(groups(train).values());
        int[] cumulative = new int[trainGroups.size()];
        int total = 0;
        for (int i = 0; i < trainGroups.size(); i++) {
            total += trainGroups.get(i).size();
            cumulative[i] = total;
        }
        final int all = total;
        return new BatchSource() {
            @Override
            public Batch train(NDManager manager, Random random) {
                int r = random.nextInt(all);
                int g = 0;
                while (cumulative[g] <= r) {
                    g++;
                }
                List<Pair> group = trainGroups.get(g);
                List<Pair> chosen = new ArrayList<>();
                int n = Math.min(batchSize, group.size());
                for (int i = 0; i < n; i++) {
                    chosen.add(group.get(random.nextInt(group.size())));
                }
                return encode(manager, layout, chosen);
            }

            @Override
            public List<Batch> validation(NDManager manager) {
                List<Batch> out = new ArrayList<>();
                for (List<Pair> group : groups(validation).values()) {
                    for (int i = 0; i < group.size(); i += batchSize) {
                        out.add(encode(manager, layout, group.subList(i, Math.min(group.size(), i + batchSize))));
                    }
                }
                return out;
            }
        };
    }

    /** Encodes pairs of equal source and target lengths. */
    public static Batch encode(NDManager manager, Layout layout, List<Pair> pairs) {
        int n = pairs.size();
        int s = pairs.get(0).source().length();
        int t = pairs.get(0).target().length();
        if (layout == Layout.DECODER_ONLY) {
            int len = s + t + 2;
            long[] x = new long[n * len];
            long[] y = new long[n * len];
            float[] m = new float[n * len];
            for (int i = 0; i < n; i++) {
                Pair p = pairs.get(i);
                int[] in = decoderOnlyInput(p.source(), p.target());
                int[] lab = decoderOnlyLabels(p.source(), p.target());
                float[] mask = decoderOnlyMask(p.source(), p.target());
                for (int j = 0; j < len; j++) {
                    x[i * len + j] = in[j];
                    y[i * len + j] = lab[j];
                    m[i * len + j] = mask[j];
                }
            }
            Shape shape = new Shape(n, len);
            return new Batch(new NDList(manager.create(x, shape)), manager.create(y, shape), manager.create(m, shape),
                    (long) n * len);
        }
        long[] src = new long[n * s];
        long[] dec = new long[n * (t + 1)];
        long[] lab = new long[n * (t + 1)];
        for (int i = 0; i < n; i++) {
            Pair p = pairs.get(i);
            int[] si = ids(p.source());
            int[] ti = ids(p.target());
            for (int j = 0; j < s; j++) {
                src[i * s + j] = si[j];
            }
            dec[i * (t + 1)] = SOS;
            for (int j = 0; j < t; j++) {
                dec[i * (t + 1) + j + 1] = ti[j];
                lab[i * (t + 1) + j] = ti[j];
            }
            lab[i * (t + 1) + t] = EOS;
        }
        return new Batch(new NDList(manager.create(src, new Shape(n, s)), manager.create(dec, new Shape(n, t + 1))),
                manager.create(lab, new Shape(n, t + 1)), null, (long) n * (s + t + 1));
    }
}
