package dlx.nmt;

import ai.djl.Device;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.RunContext;
import dlx.kit.djl.Devices;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.train.Checkpoint;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.TrainLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nmt.attention}: encoder–decoder transformer translating English words to Pig Latin at
 * character level; four runs, hidden size 32 vs 64 × small (3,200 words) vs large (22,400 words).
 */
public final class AttentionExperiment implements Experiment {
    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("nmt.attention")
                .title("Encoder-decoder transformer translating English to Pig Latin")
                .description("Sinusoidal positions, scaled dot-product attention in the encoder, causal attention and "
                        + "cross-attention in the decoder, MLP blocks. Runs h32-small, h32-large, h64-small, h64-large; "
                        + "loss curves compared by hidden size and by data set, lowest validation loss per run, "
                        + "exact-match word accuracy on held-out words, sample translations.")
                .param(ParamSpec.list("hiddenSizes", ParamType.INT_LIST, "32,64").min(4).help("model widths"))
                .param(ParamSpec.list("datasets", ParamType.STRING_LIST, "small,large").help("small and/or large"))
                .param(ParamSpec.integer("heads", 4).quick(2).range(1, 64).help("attention heads"))
                .param(ParamSpec.integer("layers", 2).quick(1).range(1, 48).help("encoder and decoder blocks"))
                .param(ParamSpec.integer("batchSize", 64).range(1, 4096).help("pairs per batch (one length group)"))
                .param(ParamSpec.integer("epochs", 30).quick(2).range(1, 10000).help("epochs per run"))
                .param(ParamSpec.integer("stepsPerEpoch", 200).quick(25).range(1, 1000000).help("steps per epoch"))
                .param(ParamSpec.decimal("learningRate", 3e-3).quick(5e-3).range(1e-6, 1).help("AdamW peak learning rate"))
                .param(ParamSpec.integer("patience", 5).range(0, 10000).help("early stopping patience in epochs (0: off)"))
                .param(Checkpoint.resumeParam())
                .param(ParamSpec.integer("testWords", 500).quick(10).range(1, 100000).help("held-out words for wordAccuracy"))
                .param(ParamSpec.list("translate", ParamType.STRING_LIST, DecoderOnlyExperiment.DEFAULT_TRANSLATE)
                        .help("comma-separated words or sentences to translate (with the last run's model)"))
                .build();
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        var p = ctx.params();
        Device device = Devices.choose(ctx.device());
        ctx.usedDevice(Devices.describe(device));
        Map<String, Double> best = new LinkedHashMap<>();
        Map<String, Double> accuracy = new LinkedHashMap<>();
        Map<String, Map<String, String>> allTranslations = new LinkedHashMap<>();
        Map<String, List<String>> byHidden = new LinkedHashMap<>();
        Map<String, List<String>> byData = new LinkedHashMap<>();
        Map<String, String> lastTranslations = Map.of();
        for (int hidden : p.intList("hiddenSizes")) {
            for (String set : p.stringList("datasets")) {
                if (!set.equals("small") && !set.equals("large")) {
                    throw new IllegalArgumentException("data set '" + set + "' is not small or large");
                }
                String run = "h" + hidden + "-" + set;
                String prefix = "h" + hidden + Character.toUpperCase(set.charAt(0)) + set.substring(1);
                PigLatinData data = new PigLatinData(WordList.top(set.equals("small") ? WordList.SMALL : WordList.LARGE),
                        ctx.seed());
                TrainConfig cfg = new TrainConfig(run, p.integer("epochs"), p.integer("stepsPerEpoch"),
                        (float) p.decimal("learningRate"), 0.1f, 0.01f, p.integer("patience"), ctx.seed());
                PigLatinTraining.Outcome o = PigLatinTraining.run(ctx, device, data, PigLatinData.Layout.ENCODER_DECODER,
                        hidden, p.integer("heads"), p.integer("layers"), p.integer("batchSize"), cfg,
                        p.integer("testWords"), p.stringList("translate"), prefix,
                        Checkpoint.of(ctx, run));
                best.put(run, o.train().bestValLoss());
                accuracy.put(run, o.wordAccuracy());
                allTranslations.put(run, o.translations());
                lastTranslations = o.translations();
                ctx.metric(TrainLoop.name(prefix, "bestValLoss"), o.train().bestValLoss());
                ctx.metric(TrainLoop.name(prefix, "wordAccuracy"), o.wordAccuracy());
                ctx.metric(TrainLoop.name(prefix, "parameters"), o.parameters());
                ctx.metric(TrainLoop.name(prefix, "msPerStep"), o.train().msPerStep());
                ctx.log(String.format("%s: best val loss %.4f, word accuracy %.3f", run, o.train().bestValLoss(),
                        o.wordAccuracy()));
                byHidden.computeIfAbsent(set, k -> new ArrayList<>()).add(TrainLoop.name(prefix, "valLoss"));
                byData.computeIfAbsent("h" + hidden, k -> new ArrayList<>()).add(TrainLoop.name(prefix, "valLoss"));
            }
        }
        ctx.answer("bestValLoss", best);
        ctx.answer("wordAccuracy", accuracy);
        ctx.answer("translations", lastTranslations);
        ctx.answer("translationsByRun", allTranslations);
        for (var e : byHidden.entrySet()) {
            ctx.plot(new PlotSpec("by-hidden-size-" + e.getKey() + ".png", "nmt.attention: validation loss by hidden size ("
                    + e.getKey() + " set)", "step", "validation cross-entropy (nats)", e.getValue(), false, false));
        }
        for (var e : byData.entrySet()) {
            ctx.plot(new PlotSpec("by-dataset-" + e.getKey() + ".png", "nmt.attention: validation loss by data set ("
                    + e.getKey() + ")", "step", "validation cross-entropy (nats)", e.getValue(), false, false));
        }
    }
}
