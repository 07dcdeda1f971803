package dlx.nmt;

import ai.djl.Device;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.train.Checkpoints;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nmt.attention}: encoder–decoder transformer translating English words to Pig Latin at
 * character level; four runs, hidden size 32 vs 64 × small (3,200 words) vs large (22,400 words),
 * each recorded under the label {@code run} ({@code valLoss{run=h32-small}}).
 */
public final class AttentionExperiment implements Experiment {
    @Override
    public ExperimentSpec spec() {
        ExperimentSpec.Builder spec = ExperimentSpec.builder("nmt.attention")
                .title("Encoder-decoder transformer translating English to Pig Latin")
                .description("Sinusoidal positions, scaled dot-product attention in the encoder, causal attention and "
                        + "cross-attention in the decoder, MLP blocks. Runs h32-small, h32-large, h64-small, h64-large; "
                        + "loss curves compared by hidden size and by data set, lowest validation loss per run, "
                        + "exact-match word accuracy on held-out words, sample translations.")
                .param(ParamSpec.list("hiddenSizes", ParamType.INT_LIST, "32,64").min(4).help("model widths"))
                .param(ParamSpec.list("datasets", ParamType.STRING_LIST, "small,large").choices("small", "large").help("small and/or large"));
        return TranslatorParams.training(spec, new TranslatorParams.Defaults(30, 2, 25, 10))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        var p = request.params();
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        List<Integer> hiddenSizes = p.intList("hiddenSizes");
        List<String> datasets = p.stringList("datasets");
        Map<String, Map<String, String>> allTranslations = new LinkedHashMap<>();
        Map<String, String> lastTranslations = Map.of();
        for (int hidden : hiddenSizes) {
            for (String set : datasets) {
                String run = run(hidden, set);
                Labels labels = Labels.of("run", run);
                PigLatinData data = new PigLatinData(WordList.top(set.equals("small") ? WordList.SMALL : WordList.LARGE),
                        request.seed());
                WordList.pigLatinSources(set.equals("small") ? WordList.SMALL : WordList.LARGE, request.seed()).forEach(reporter::dataSource);
                TrainConfig cfg = new TrainConfig(run, p.integer("epochs"), p.integer("stepsPerEpoch"),
                        (float) p.decimal("learningRate"), 0.1f, 0.01f, p.integer("patience"), request.seed());
                // The run's own parameters; epochs may grow on resume, the rest is measured after training.
                Map<String, String> fingerprint = Checkpoints.fingerprint(p, "hiddenSizes", "datasets", "epochs",
                        "testWords", "translate");
                fingerprint.put("hidden", Integer.toString(hidden));
                fingerprint.put("dataset", set);
                PigLatinTraining.Outcome o = PigLatinTraining.run(request, reporter, device, data,
                        PigLatinModel.encoderDecoder(hidden, p.integer("heads"), p.integer("layers")),
                        p.integer("batchSize"), cfg, p.integer("testWords"), p.stringList("translate"), labels, fingerprint);
                reporter.answer("bestValLoss", labels, o.train().bestValLoss());
                reporter.answer("wordAccuracy", labels, o.wordAccuracy());
                reporter.metric("bestValLoss", labels, o.train().bestValLoss());
                reporter.metric("wordAccuracy", labels, o.wordAccuracy());
                reporter.metric("parameters", labels, o.parameters());
                allTranslations.put(run, o.translations());
                lastTranslations = o.translations();
                reporter.log(String.format("%s: best val loss %.4f, word accuracy %.3f", run, o.train().bestValLoss(),
                        o.wordAccuracy()));
            }
        }
        reporter.answer("translations", lastTranslations);
        reporter.answer("translationsByRun", allTranslations);
        for (String set : datasets) {
            LinePlot.Builder plot = LinePlot.builder("by-hidden-size-" + set + ".png",
                    "nmt.attention: validation loss by hidden size (" + set + " set)", "step", "validation cross-entropy (nats)");
            hiddenSizes.forEach(h -> plot.series("valLoss", Labels.of("run", run(h, set)), run(h, set)));
            reporter.plot(plot.build());
        }
        for (int hidden : hiddenSizes) {
            LinePlot.Builder plot = LinePlot.builder("by-dataset-h" + hidden + ".png",
                    "nmt.attention: validation loss by data set (h" + hidden + ")", "step", "validation cross-entropy (nats)");
            datasets.forEach(set -> plot.series("valLoss", Labels.of("run", run(hidden, set)), run(hidden, set)));
            reporter.plot(plot.build());
        }
    }

    /** A run's name and label value: {@code h32-small}. */
    private static String run(int hidden, String set) {
        return "h" + hidden + "-" + set;
    }
}
