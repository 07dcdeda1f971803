package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What exhaustive search costs for a realistic vocabulary and length (IFT6135 Q3.2): N^T sentences
 * of T words, timed at the rate dlx's own exhaustive search scores sentences, measured on a random
 * bigram model (a table lookup, the cheapest model there is, so the times are lower bounds). Beam
 * and greedy search need T·B·N and T·N scores. Checked: the search scores exactly N^T sentences, and
 * its best sentence is the one the Viterbi algorithm finds for the bigram model in O(T·N²).
 */
public final class ExhaustiveSearchExperiment implements Experiment {
    /** The age of the universe, 13.8 billion years, in seconds: a scale for the answer. */
    static final double AGE_OF_UNIVERSE_SECONDS = 13.8e9 * 365.25 * 86_400;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.exhaustive-search")
                .title("The cost of exhaustive search for a realistic vocabulary and length")
                .description("Counts the N^T sentences of T words over a vocabulary of N, measures how many sentences per "
                        + "second dlx's exhaustive search scores on a random bigram model, and gives the time exhaustive, "
                        + "beam and greedy search would take at that rate; the measured search is checked against "
                        + "Viterbi decoding of the same model.")
                .param(ParamSpec.integer("vocabulary", 50_000).range(2, 10_000_000)
                        .help("N, words in the vocabulary (50,000: the order of GPT-2's 50,257 BPE tokens)"))
                .param(ParamSpec.integer("length", 20).range(1, 1000).help("T, words per sentence"))
                .param(ParamSpec.integer("beamWidth", 5).range(1, 1000).help("B, for the beam search cost beside it"))
                .param(ParamSpec.integer("measureVocabulary", 300).quick(60).range(2, 100_000)
                        .help("vocabulary of the bigram model the search is timed on"))
                .param(ParamSpec.integer("measureLength", 3).range(1, 8).help("sentence length the search is timed on"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        var p = request.params();
        int n = p.integer("vocabulary");
        int t = p.integer("length");
        int width = p.integer("beamWidth");
        int nm = p.integer("measureVocabulary");
        int tm = p.integer("measureLength");
        if (Math.pow(nm, tm) > 2e9) {
            throw new IllegalArgumentException("measureVocabulary^measureLength = " + nm + "^" + tm
                    + " sentences would take too long to time; keep it below 2e9");
        }
        BigramModel model = BigramModel.random(new Random(request.seed()), nm);

        // Timing: the generic, streaming exhaustive search over every sentence of the small model.
        long t0 = System.nanoTime();
        Decoders.Scan scan = Decoders.exhaustiveScan(model, tm);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = scan.sequences() / seconds;
        reporter.metric("measuredSeconds", seconds);
        reporter.metric("measuredSequences", scan.sequences());
        reporter.answer("sequencesPerSecond", rate);
        reporter.verify("sequenceCountResidual", Math.abs(scan.sequences() - Math.pow(nm, tm)), 0.5);
        // Check: the search's best sentence is the bigram model's Viterbi path.
        Viterbi v = viterbi(model, tm);
        double residual = Math.abs(v.logLik() - scan.best().logLik()) + (v.words().equals(scan.best().words()) ? 0 : 1);
        reporter.verify("exhaustiveVsViterbiResidual", residual, 1e-9);

        // The cost at the realistic size, at the measured rate.
        double log10Count = t * Math.log10(n);
        double exhaustiveSeconds = Math.pow(10, log10Count) / rate;
        reporter.answer("sequenceCountFormula", "N^T = " + n + "^" + t);
        reporter.answer("sequenceCountLog10", log10Count);
        reporter.answer("sequenceCount", Math.pow(10, log10Count));
        reporter.answer("exhaustiveSeconds", exhaustiveSeconds);
        reporter.answer("exhaustiveYears", exhaustiveSeconds / (365.25 * 86_400));
        reporter.answer("ageOfUniverseMultiples", exhaustiveSeconds / AGE_OF_UNIVERSE_SECONDS);
        double beamScores = (double) t * width * n;
        reporter.answer("beamScores", beamScores);
        reporter.answer("beamSeconds", beamScores / rate);
        reporter.answer("greedyScores", (double) t * n);
        reporter.answer("greedySeconds", (double) t * n / rate);
        reporter.answer("summary", String.format(Locale.ROOT, "%d^%d = 10^%.1f sentences; at the %.3g sentences/s measured "
                        + "here (a table-lookup bigram model, %d^%d sentences in %.2f s) exhaustive search would take %.3g "
                        + "years, %.3g times the age of the universe, while beam search (B = %d) scores %.3g candidates "
                        + "(%.3g s) and greedy search %.3g (%.3g s).", n, t, log10Count, rate, nm, tm, seconds,
                exhaustiveSeconds / (365.25 * 86_400), exhaustiveSeconds / AGE_OF_UNIVERSE_SECONDS, width, beamScores,
                beamScores / rate, (double) t * n, t * (double) n / rate));
        for (int k = 1; k <= t; k++) {
            reporter.series("log10SequencesByLength").add(k, k * Math.log10(n));
        }
    }

    /** The best sentence of exactly {@code length} words and its log-likelihood. */
    record Viterbi(List<String> words, double logLik) { }

    /** Dynamic programming over the bigram model: best[t][w] = max_v best[t−1][v] + log p(w | v). */
    static Viterbi viterbi(BigramModel m, int length) {
        int n = m.size();
        double[] best = m.logProbs(-1).clone();
        int[][] back = new int[length][n];
        for (int t = 1; t < length; t++) {
            double[] next = new double[n];
            java.util.Arrays.fill(next, Double.NEGATIVE_INFINITY);
            for (int v = 0; v < n; v++) {
                double[] row = m.logProbs(v);
                for (int w = 0; w < n; w++) {
                    double s = best[v] + row[w];
                    if (s > next[w]) {
                        next[w] = s;
                        back[t][w] = v;
                    }
                }
            }
            best = next;
        }
        int end = 0;
        for (int w = 1; w < n; w++) {
            end = best[w] > best[end] ? w : end;
        }
        int[] path = new int[length];
        path[length - 1] = end;
        for (int t = length - 1; t > 0; t--) {
            path[t - 1] = back[t][path[t]];
        }
        List<String> words = new ArrayList<>();
        for (int w : path) {
            words.add(m.vocabulary().get(w));
        }
        return new Viterbi(words, best[end]);
    }

    /** A bigram language model with random next-word distributions (softmax of Gaussian scores); it never ends a sentence. */
    static final class BigramModel implements LanguageModel {
        private final List<String> words;
        /** Row n: after the start of the sentence; row v: after word v. */
        private final double[][] logProbs;
        private final List<Map<String, Double>> maps;

        private BigramModel(List<String> words, double[][] logProbs) {
            this.words = words;
            this.logProbs = logProbs;
            this.maps = new ArrayList<>();
            for (double[] row : logProbs) {
                Map<String, Double> m = new LinkedHashMap<>();
                for (int w = 0; w < row.length; w++) {
                    m.put(words.get(w), row[w]);
                }
                maps.add(m);
            }
        }

        static BigramModel random(Random rnd, int n) {
            List<String> words = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                words.add("w" + i);
            }
            double[][] lp = new double[n + 1][n];
            for (double[] row : lp) {
                double max = Double.NEGATIVE_INFINITY;
                for (int w = 0; w < n; w++) {
                    row[w] = 2 * rnd.nextGaussian();
                    max = Math.max(max, row[w]);
                }
                double z = 0;
                for (double v : row) {
                    z += Math.exp(v - max);
                }
                double logZ = max + Math.log(z);
                for (int w = 0; w < n; w++) {
                    row[w] -= logZ;
                }
            }
            return new BigramModel(words, lp);
        }

        int size() {
            return words.size();
        }

        /** log p(· | previous word), {@code previous = -1} at the start. */
        double[] logProbs(int previous) {
            return logProbs[previous < 0 ? words.size() : previous];
        }

        @Override
        public List<String> vocabulary() {
            return words;
        }

        @Override
        public Map<String, Double> nextLogProbs(List<String> prefix) {
            // A lookup of the row, as a model call; the maps are built once so that the timing is of the search.
            return maps.get(prefix.isEmpty() ? words.size() : Integer.parseInt(prefix.get(prefix.size() - 1).substring(1)));
        }
    }
}
