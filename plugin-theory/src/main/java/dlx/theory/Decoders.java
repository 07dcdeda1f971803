package dlx.theory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Greedy, beam and exhaustive search over any {@link LanguageModel}: generic, nothing tree-specific. */
public final class Decoders {
    private Decoders() { }

    /** A (partial) sentence with its log-likelihood; {@code finished} once the model ended it. */
    public record Hypothesis(List<String> words, double logLik, boolean finished) {
        public Hypothesis {
            words = List.copyOf(words);
        }

        Hypothesis extend(String word, double logp) {
            List<String> w = new ArrayList<>(words);
            w.add(word);
            return new Hypothesis(w, logLik + logp, false);
        }

        Hypothesis finish() {
            return new Hypothesis(words, logLik, true);
        }
    }

    /** One step of beam search: the beams kept and the candidates pruned (both best first). */
    public record BeamStep(int step, List<Hypothesis> kept, List<Hypothesis> pruned) { }

    /** The result of a beam search: final beams (best first) and every step. */
    public record BeamResult(List<Hypothesis> beams, List<BeamStep> steps) { }

    /** Best first; ties broken by the words, so that every search is deterministic. */
    static final Comparator<Hypothesis> BEST_FIRST = Comparator.comparingDouble(Hypothesis::logLik).reversed()
            .thenComparing(h -> String.join(" ", h.words()));

    /** Takes the most likely next word at each step, for at most {@code maxWords} words. */
    public static Hypothesis greedy(LanguageModel model, int maxWords) {
        Hypothesis h = new Hypothesis(List.of(), 0, false);
        for (int t = 0; t < maxWords; t++) {
            Map<String, Double> next = model.nextLogProbs(h.words());
            if (next.isEmpty()) {
                return h.finish();
            }
            Map.Entry<String, Double> best = null;
            for (Map.Entry<String, Double> e : next.entrySet()) {
                if (best == null || e.getValue() > best.getValue()
                        || (e.getValue().equals(best.getValue()) && e.getKey().compareTo(best.getKey()) < 0)) {
                    best = e;
                }
            }
            h = h.extend(best.getKey(), best.getValue());
        }
        return model.nextLogProbs(h.words()).isEmpty() ? h.finish() : h;
    }

    /**
     * Beam search of width {@code width} for at most {@code maxWords} words: at each step every
     * unfinished beam is extended by every continuation, finished beams compete unchanged, and the
     * {@code width} best candidates are kept.
     */
    public static BeamResult beam(LanguageModel model, int width, int maxWords) {
        if (width < 1) {
            throw new IllegalArgumentException("beam width must be at least 1, got " + width);
        }
        List<Hypothesis> beams = List.of(new Hypothesis(List.of(), 0, false));
        List<BeamStep> steps = new ArrayList<>();
        for (int t = 1; t <= maxWords; t++) {
            List<Hypothesis> candidates = new ArrayList<>();
            boolean extended = false;
            for (Hypothesis h : beams) {
                if (h.finished()) {
                    candidates.add(h);
                    continue;
                }
                Map<String, Double> next = model.nextLogProbs(h.words());
                if (next.isEmpty()) {
                    candidates.add(h.finish());
                    continue;
                }
                extended = true;
                next.forEach((w, lp) -> candidates.add(h.extend(w, lp)));
            }
            if (!extended) {
                beams = candidates;
                break;
            }
            candidates.sort(BEST_FIRST);
            int keep = Math.min(width, candidates.size());
            beams = List.copyOf(candidates.subList(0, keep));
            steps.add(new BeamStep(t, beams, List.copyOf(candidates.subList(keep, candidates.size()))));
        }
        List<Hypothesis> out = new ArrayList<>();
        for (Hypothesis h : beams) {
            out.add(h.finished() || !model.nextLogProbs(h.words()).isEmpty() ? h : h.finish());
        }
        out.sort(BEST_FIRST);
        return new BeamResult(List.copyOf(out), List.copyOf(steps));
    }

    /** Every sentence the model can produce with at most {@code maxWords} words, best first (depth-first enumeration). */
    public static List<Hypothesis> exhaustive(LanguageModel model, int maxWords) {
        List<Hypothesis> out = new ArrayList<>();
        expand(model, new Hypothesis(List.of(), 0, false), maxWords, out);
        out.sort(BEST_FIRST);
        return out;
    }

    private static void expand(LanguageModel model, Hypothesis h, int wordsLeft, List<Hypothesis> out) {
        Map<String, Double> next = model.nextLogProbs(h.words());
        if (next.isEmpty()) {
            out.add(h.finish());
            return;
        }
        if (wordsLeft == 0) {
            out.add(h);
            return;
        }
        next.forEach((w, lp) -> expand(model, h.extend(w, lp), wordsLeft - 1, out));
    }

    /** What a streaming exhaustive search saw: the best sentence, the sentences it scored, the model calls it made. */
    public record Scan(Hypothesis best, long sequences, long modelCalls) { }

    /**
     * Exhaustive search that keeps only the best sentence (depth-first, nothing stored), so that it
     * can be timed on spaces far larger than {@link #exhaustive} could hold. Same order of
     * preference as the other searches (best log-likelihood, then the words).
     */
    public static Scan exhaustiveScan(LanguageModel model, int maxWords) {
        long[] counts = new long[2];
        Hypothesis[] best = new Hypothesis[1];
        scan(model, new ArrayList<>(), 0, maxWords, counts, best);
        return new Scan(best[0], counts[0], counts[1]);
    }

    private static void scan(LanguageModel model, List<String> words, double logLik, int wordsLeft, long[] counts,
                             Hypothesis[] best) {
        Map<String, Double> next = wordsLeft == 0 ? Map.of() : model.nextLogProbs(words);
        counts[1] += wordsLeft == 0 ? 0 : 1;
        if (next.isEmpty()) {
            counts[0]++;
            if (best[0] == null || logLik > best[0].logLik()
                    || (logLik == best[0].logLik() && String.join(" ", words).compareTo(String.join(" ", best[0].words())) < 0)) {
                best[0] = new Hypothesis(words, logLik, true);
            }
            return;
        }
        for (Map.Entry<String, Double> e : next.entrySet()) {
            words.add(e.getKey());
            scan(model, words, logLik + e.getValue(), wordsLeft - 1, counts, best);
            words.remove(words.size() - 1);
        }
    }

    /** log p(words) under the model (chain rule); -infinity when a word is not a continuation. */
    public static double logLikelihood(LanguageModel model, List<String> words) {
        double s = 0;
        for (int t = 0; t < words.size(); t++) {
            Double lp = model.nextLogProbs(words.subList(0, t)).get(words.get(t));
            if (lp == null) {
                return Double.NEGATIVE_INFINITY;
            }
            s += lp;
        }
        return s;
    }
}
