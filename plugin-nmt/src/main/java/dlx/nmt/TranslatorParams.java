package dlx.nmt;

import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;

/**
 * The parameters every Pig Latin translator experiment declares alike (model shape, schedule,
 * evaluation), so that the four experiments that train translators cannot drift apart; each passes
 * only the defaults that differ.
 */
final class TranslatorParams {
    /** Full-profile epochs, and the quick profile's epochs, steps per epoch and held-out words. */
    record Defaults(int epochs, int quickEpochs, int quickSteps, int quickTestWords) { }

    private TranslatorParams() { }

    static ExperimentSpec.Builder dataset(ExperimentSpec.Builder b) {
        return b.param(ParamSpec.choice("dataset", "large", "small", "large").help("small: 3,200 words; large: 22,400 words"));
    }

    static ExperimentSpec.Builder hidden(ExperimentSpec.Builder b) {
        return b.param(ParamSpec.integer("hidden", 64).quick(32).range(4, 1024).help("model width"));
    }

    /** heads, layers, batchSize, epochs, stepsPerEpoch, learningRate, patience, testWords, translate. */
    static ExperimentSpec.Builder training(ExperimentSpec.Builder b, Defaults d) {
        return b.param(ParamSpec.integer("heads", 4).quick(2).range(1, 64).help("attention heads"))
                .param(ParamSpec.integer("layers", 2).quick(1).range(1, 48)
                        .help("transformer blocks (an encoder-decoder has this many in each stack)"))
                .param(ParamSpec.integer("batchSize", 64).range(1, 4096).help("pairs per batch (one length group)"))
                .param(ParamSpec.integer("epochs", d.epochs()).quick(d.quickEpochs()).range(1, 10000).help("epochs per model"))
                .param(ParamSpec.integer("stepsPerEpoch", 200).quick(d.quickSteps()).range(1, 1000000).help("steps per epoch"))
                .param(ParamSpec.decimal("learningRate", 3e-3).quick(5e-3).range(1e-6, 1).help("AdamW peak learning rate"))
                .param(ParamSpec.integer("patience", 5).range(0, 10000).help("early stopping patience in epochs (0: off)"))
                .param(ParamSpec.integer("testWords", 500).quick(d.quickTestWords()).range(1, 100000)
                        .help("held-out words for wordAccuracy"))
                .param(ParamSpec.list("translate", ParamType.STRING_LIST, DecoderOnlyExperiment.DEFAULT_TRANSLATE)
                        .help("comma-separated words or sentences to translate with each model"));
    }
}
