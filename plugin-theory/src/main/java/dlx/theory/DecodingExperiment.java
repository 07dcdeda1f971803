package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Greedy, beam and exhaustive decoding on the pruned tree language model of the course (or any
 * tree given with {@code --param tree=...}). The searches are generic ({@link Decoders}); the
 * exhaustive answer is checked against a brute-force scan of all N^T word sequences, beam search
 * of unlimited width against exhaustive search, and beam width 1 against greedy.
 */
public final class DecodingExperiment implements Experiment {
    static final String RESOURCE = "decoding-tree.json";
    private static final long MAX_BRUTE_FORCE = 5_000_000L;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.decoding")
                .title("Greedy, beam and exhaustive decoding on a tree language model")
                .description("Number of sequences of length T+1 from <BOS>; greedy decoding and its log-likelihood; "
                        + "beam search step by step; exhaustive search; complexity of beam search. The searches "
                        + "are generic over log p(next | prefix); the course's tree ships as a resource.")
                .param(ParamSpec.path("tree").help("a decoding tree JSON (default: the course's tree shipped with the plugin)"))
                .param(ParamSpec.integer("beamWidth", 2).min(1).max(64).help("beam width B"))
                .param(ParamSpec.integer("length", 0).min(0).max(12)
                        .help("number of words T to decode (0: the depth of the tree)"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws IOException {
        TreeLanguageModel model = load(request.params().path("tree"));
        int width = request.params().integer("beamWidth");
        int t = request.params().integer("length") == 0 ? model.depth() : request.params().integer("length");
        int n = model.vocabulary().size();

        reporter.answer("vocabulary", model.vocabulary());
        reporter.answer("vocabularySize", n);
        reporter.answer("length", t);
        reporter.answer("sequenceCountFormula", "N^T: " + model.bos() + " is fixed and each of the T following positions "
                + "holds any of the N words, so there are N^T sequences of length T+1");
        double count = Math.pow(n, t);
        reporter.answer("sequenceCount", count < 9e15 ? (Object) Math.round(count) : (Object) count);

        Decoders.Hypothesis greedy = Decoders.greedy(model, t);
        reporter.answer("greedy", greedy.words());
        reporter.answer("greedyLogLik", greedy.logLik());
        reporter.log("greedy: " + greedy.words() + " logLik " + greedy.logLik());

        Decoders.BeamResult beam = Decoders.beam(model, width, t);
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Decoders.BeamStep s : beam.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", s.step());
            step.put("kept", describe(s.kept()));
            step.put("pruned", describe(s.pruned()));
            steps.add(step);
            reporter.log("beam step " + s.step() + ": kept " + describe(s.kept()) + "; pruned " + describe(s.pruned()));
        }
        reporter.answer("beamWidth", width);
        reporter.answer("beamSteps", steps);
        reporter.answer("beams", describe(beam.beams()));

        List<Decoders.Hypothesis> all = Decoders.exhaustive(model, t);
        Decoders.Hypothesis best = all.get(0);
        reporter.answer("exhaustive", describe(all));
        reporter.answer("exhaustiveBest", describe(best));
        reporter.answer("beamFindsBest", beam.beams().get(0).words().equals(best.words()));
        reporter.answer("greedyFindsBest", greedy.words().equals(best.words()));
        // Where each search fails on this model: for every length 1..T, greedy and beam search against the optimum.
        List<Map<String, Object>> failures = failureCases(model, width, t);
        reporter.answer("failureCases", failures);
        failures.stream().filter(f -> f.get("search").equals("greedy")).findFirst()
                .ifPresent(f -> reporter.answer("greedyFailure", f));
        failures.stream().filter(f -> !f.get("search").equals("greedy")).findFirst()
                .ifPresent(f -> reporter.answer("beamFailure", f));
        failures.forEach(f -> reporter.log("failure: " + f.get("why")));
        reporter.answer("beamComplexity", "time O(T*B*N*log(B*N)): at each of the T steps the B beams are extended by the "
                + "N words (B*N model scores) and the best B of the B*N candidates are selected (O(B*N) with "
                + "quickselect, O(B*N*log(B*N)) by sorting); space O(B*N) for the candidates of one step plus "
                + "O(B*T) for the kept hypotheses. Exhaustive search needs O(N^T) time.");

        // Check 1: exhaustive search against a brute-force scan of every word sequence up to length T.
        BruteForce bf = bruteForce(model, t);
        reporter.metric("bruteForceSequences", bf.scanned);
        double exhaustiveResidual = Math.abs(bf.best - best.logLik()) + Math.abs(bf.complete - all.size())
                + (bf.bestWords.equals(best.words()) ? 0 : 1);
        reporter.verify("exhaustiveVsBruteForceResidual", exhaustiveResidual, 1e-9);

        // Check 2: beam search wide enough to keep everything is exhaustive search.
        Decoders.BeamResult wide = Decoders.beam(model, Math.max(1, all.size()), t);
        double wideResidual = wide.beams().size() == all.size() ? 0 : 1;
        for (int i = 0; i < Math.min(wide.beams().size(), all.size()); i++) {
            wideResidual += Math.abs(wide.beams().get(i).logLik() - all.get(i).logLik())
                    + (wide.beams().get(i).words().equals(all.get(i).words()) ? 0 : 1);
        }
        reporter.verify("wideBeamVsExhaustiveResidual", wideResidual, 1e-9);

        // Check 3: beam width 1 is greedy decoding; every reported score is the chain-rule log-likelihood.
        Decoders.Hypothesis beam1 = Decoders.beam(model, 1, t).beams().get(0);
        double greedyResidual = Math.abs(beam1.logLik() - greedy.logLik()) + (beam1.words().equals(greedy.words()) ? 0 : 1)
                + Math.abs(Decoders.logLikelihood(model, greedy.words()) - greedy.logLik());
        for (Decoders.Hypothesis h : beam.beams()) {
            greedyResidual += Math.abs(Decoders.logLikelihood(model, h.words()) - h.logLik());
        }
        reporter.verify("greedyVsBeam1Residual", greedyResidual, 1e-9);
    }

    /**
     * For every length 1..{@code maxWords}: greedy decoding and beam search of width {@code width}
     * against the exhaustive optimum of that many words; each miss with the step where the search
     * lost the optimum and why.
     */
    static List<Map<String, Object>> failureCases(LanguageModel model, int width, int maxWords) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int len = 1; len <= maxWords; len++) {
            List<Decoders.Hypothesis> all = Decoders.exhaustive(model, len);
            Decoders.Hypothesis best = all.get(0);
            Decoders.Hypothesis greedy = Decoders.greedy(model, len);
            if (!greedy.words().equals(best.words())) {
                int step = 0;
                int common = Math.min(greedy.words().size(), best.words().size());
                while (step < common && greedy.words().get(step).equals(best.words().get(step))) {
                    step++;
                }
                Map<String, Double> next = model.nextLogProbs(best.words().subList(0, step));
                out.add(failure("greedy", len, greedy, best, step + 1, String.format(Locale.ROOT,
                        "greedy, %d words: at step %d it took %s over %s, the optimum's choice; it ends with %s (%s) "
                                + "against the optimum %s (%s)", len, step + 1, choice(greedy.words(), step, next),
                        choice(best.words(), step, next), String.join(" ", greedy.words()), num(greedy.logLik()),
                        String.join(" ", best.words()), num(best.logLik()))));
            }
            Decoders.BeamResult beam = Decoders.beam(model, width, len);
            Decoders.Hypothesis found = beam.beams().get(0);
            if (!found.words().equals(best.words())) {
                for (Decoders.BeamStep s : beam.steps()) {
                    List<String> prefix = best.words().subList(0, Math.min(s.step(), best.words().size()));
                    if (s.kept().stream().noneMatch(h -> h.words().equals(prefix))) {
                        Decoders.Hypothesis lost = s.pruned().stream().filter(h -> h.words().equals(prefix)).findFirst()
                                .orElseThrow();
                        int rank = s.kept().size() + 1 + s.pruned().indexOf(lost);
                        out.add(failure("beam", len, found, best, s.step(), String.format(Locale.ROOT,
                                "beam search (B = %d), %d words: at step %d the optimum's prefix '%s' (%s) ranked %d of %d "
                                        + "candidates, behind the kept %s, and was pruned; it ends with %s (%s) against the "
                                        + "optimum %s (%s)%s", width, len, s.step(), String.join(" ", prefix), num(lost.logLik()),
                                rank, s.kept().size() + s.pruned().size(), describeInline(s.kept()),
                                String.join(" ", found.words()), num(found.logLik()), String.join(" ", best.words()),
                                num(best.logLik()),
                                greedy.words().equals(best.words()) ? ", which greedy decoding finds" : "")));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, Object> failure(String search, int length, Decoders.Hypothesis found, Decoders.Hypothesis best,
                                               int step, String why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("search", search);
        m.put("length", length);
        m.put("found", describe(found));
        m.put("optimum", describe(best));
        m.put("lostAtStep", step);
        m.put("why", why);
        return m;
    }

    /** The word a sentence takes at {@code step} with its log-probability, or the end of the sentence. */
    private static String choice(List<String> words, int step, Map<String, Double> next) {
        return step < words.size() ? "'" + words.get(step) + "' (log p " + num(next.get(words.get(step))) + ")"
                : "the end of the sentence";
    }

    /** A log-likelihood as text: four significant digits, no trailing zeros (-4.6, -9.1). */
    static String num(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String describeInline(List<Decoders.Hypothesis> hs) {
        List<String> parts = new ArrayList<>();
        for (Decoders.Hypothesis h : hs) {
            parts.add(String.format(Locale.ROOT, "'%s' (%s)", String.join(" ", h.words()), num(h.logLik())));
        }
        return String.join(", ", parts);
    }

    static TreeLanguageModel load(Optional<Path> tree) throws IOException {
        if (tree.isPresent()) {
            if (!Files.isRegularFile(tree.get())) {
                throw new IOException("tree " + tree.get() + " is not a file");
            }
            try (InputStream in = Files.newInputStream(tree.get())) {
                return TreeLanguageModel.read(in);
            }
        }
        try (InputStream in = DecodingExperiment.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " is missing from plugin-theory");
            }
            return TreeLanguageModel.read(in);
        }
    }

    private record BruteForce(long scanned, long complete, double best, List<String> bestWords) { }

    /** Scores every sequence of 1..T vocabulary words by the chain rule; keeps the complete ones. */
    private static BruteForce bruteForce(LanguageModel model, int t) {
        List<String> vocab = model.vocabulary();
        int n = vocab.size();
        if (Math.pow(n, t) > MAX_BRUTE_FORCE) {
            throw new IllegalArgumentException("N^T = " + n + "^" + t + " sequences are too many for the brute-force check");
        }
        long scanned = 0;
        long complete = 0;
        double best = Double.NEGATIVE_INFINITY;
        List<String> bestWords = List.of();
        for (int len = 1; len <= t; len++) {
            int[] idx = new int[len];
            long total = (long) Math.pow(n, len);
            for (long k = 0; k < total; k++) {
                long rest = k;
                List<String> words = new ArrayList<>(len);
                for (int i = len - 1; i >= 0; i--) {
                    idx[i] = (int) (rest % n);
                    rest /= n;
                }
                for (int i = 0; i < len; i++) {
                    words.add(vocab.get(idx[i]));
                }
                scanned++;
                double ll = Decoders.logLikelihood(model, words);
                if (ll == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                if (len < t && !model.nextLogProbs(words).isEmpty()) {
                    continue;
                }
                complete++;
                if (ll > best || (ll == best && String.join(" ", words).compareTo(String.join(" ", bestWords)) < 0)) {
                    best = ll;
                    bestWords = words;
                }
            }
        }
        return new BruteForce(scanned, complete, best, bestWords);
    }

    private static List<Map<String, Object>> describe(List<Decoders.Hypothesis> hs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Decoders.Hypothesis h : hs) {
            out.add(describe(h));
        }
        return out;
    }

    private static Map<String, Object> describe(Decoders.Hypothesis h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("words", h.words());
        m.put("logLik", Math.round(h.logLik() * 1e9) / 1e9);
        return m;
    }
}
