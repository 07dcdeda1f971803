package dlx.nmt;

import ai.djl.Device;
import ai.djl.Model;
import dlx.api.Labels;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.train.Checkpoints;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.model.Generation;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.TrainResult;
import dlx.nmt.train.Training;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Trains one Pig Latin translator (encoder–decoder or decoder-only) and measures it. */
final class PigLatinTraining {
    /** Longest source word the models translate (positions are precomputed for it). */
    static final int MAX_WORD = 30;

    private PigLatinTraining() { }

    /** The training, the exact-match accuracy on the test words, the translations, the parameter count. */
    record Outcome(TrainResult train, double wordAccuracy, Map<String, String> translations, long parameters) { }

    /**
     * Trains one model, run {@code cfg.name()} (its checkpoint in {@code checkpoints/<name>}, made for the
     * parameters {@code fingerprint}; its series under {@code labels}), and measures it.
     */
    static Outcome run(RunRequest request, RunReporter reporter, Device device, PigLatinData data, PigLatinModel spec,
                       int batchSize, TrainConfig cfg, int testWords, List<String> translate, Labels labels,
                       Map<String, String> fingerprint) throws Exception {
        PigLatinData.Layout layout = spec.layout();
        try (Model model = Model.newInstance("piglatin-" + cfg.name(), device)) {
            spec.buildInto(model);
            long parameters = CharLmExperiment.parameterCount(model);
            TrainResult r = Training.of(model, data.batches(layout, batchSize), cfg).report(reporter, labels)
                    .checkpoints(Checkpoints.of(request, cfg.name()).fingerprint(fingerprint))
                    .cancellation(request.cancellation()).run();
            List<PigLatinData.Pair> test = data.test().subList(0, Math.min(testWords, data.test().size()));
            int correct = 0;
            for (PigLatinData.Pair p : test) {
                if (p.source().length() <= spec.maxWord() && translateWord(model, layout, p.source()).equals(p.target())) {
                    correct++;
                }
            }
            double accuracy = test.isEmpty() ? 0 : (double) correct / test.size();
            Map<String, String> translations = new LinkedHashMap<>();
            for (String sentence : translate) {
                StringBuilder out = new StringBuilder();
                for (String w : sentence.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
                    String word = w.replaceAll("[^a-z-]", "");
                    if (word.isEmpty()) {
                        continue;
                    }
                    if (out.length() > 0) {
                        out.append(' ');
                    }
                    out.append(word.length() > spec.maxWord() ? "(too long)" : translateWord(model, layout, word));
                }
                translations.put(sentence, out.toString());
            }
            return new Outcome(r, accuracy, translations, parameters);
        }
    }

    /** Greedy translation of one word; special tokens in the output show as '?'. */
    static String translateWord(Model model, PigLatinData.Layout layout, String word) {
        int max = word.length() + 8;
        int[] tokens;
        if (layout == PigLatinData.Layout.ENCODER_DECODER) {
            tokens = Generation.greedySeq2Seq(model.getBlock(), model.getNDManager(), PigLatinData.ids(word), max,
                    PigLatinData.SOS, PigLatinData.EOS);
        } else {
            int[] prompt = PigLatinData.decoderOnlyPrompt(word);
            tokens = Generation.greedy(model.getBlock(), model.getNDManager(), prompt, max, prompt.length + max,
                    PigLatinData.EOS);
        }
        StringBuilder s = new StringBuilder();
        for (int t : tokens) {
            s.append(t == PigLatinData.HYPHEN || t >= 5 ? PigLatinData.character(t) : '?');
        }
        return s.toString();
    }
}
