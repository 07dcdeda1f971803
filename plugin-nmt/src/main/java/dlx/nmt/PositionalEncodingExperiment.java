package dlx.nmt;

import ai.djl.Device;
import dlx.api.BarChart;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Params;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.train.Checkpoints;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.model.Positions;
import dlx.nmt.train.Seeds;
import dlx.nmt.train.TrainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nmt.positional-encoding} (CSC413 §3.1.3): why a transformer needs positions, and why
 * sinusoids rather than one-hot positions. The same Pig Latin translator trained with no positional
 * information, one-hot positions, a learned table and the sinusoidal table, every run from the same
 * seed, on the same batches; validation loss and exact-word accuracy of each.
 */
public final class PositionalEncodingExperiment implements Experiment {
    @Override
    public ExperimentSpec spec() {
        ExperimentSpec.Builder spec = ExperimentSpec.builder("nmt.positional-encoding")
                .title("Positional encodings ablated on Pig Latin")
                .description("Trains the Pig Latin translator (encoder-decoder, or decoder-only) once per positional "
                        + "encoding: none, one-hot (position p adds the p-th unit vector, scaled to the sinusoid's norm; "
                        + "a width-d model encodes d positions), learned (a trained table), sinusoidal. Same seed, data "
                        + "and schedule; lowest validation loss and exact-word accuracy on held-out words per encoding.")
                .param(ParamSpec.list("encodings", ParamType.STRING_LIST, "none,one-hot,learned,sinusoidal")
                        .choices(Arrays.stream(Positions.values()).map(Positions::id).toList())
                        .help("encodings to train: none, one-hot, learned, sinusoidal"))
                .param(ParamSpec.choice("architecture", "encoder-decoder", "encoder-decoder", "decoder-only")
                        .help("the nmt.attention model or the nmt.decoder-only model"));
        return TranslatorParams.training(TranslatorParams.hidden(TranslatorParams.dataset(spec)),
                new TranslatorParams.Defaults(15, 2, 25, 20))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        Params p = request.params();
        List<Positions> encodings = new ArrayList<>();
        for (String e : p.stringList("encodings")) {
            encodings.add(Positions.parse(e));
        }
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        PigLatinData data = new PigLatinData(WordList.top(p.string("dataset").equals("small") ? WordList.SMALL
                : WordList.LARGE), request.seed());
        WordList.pigLatinSources(p.string("dataset").equals("small") ? WordList.SMALL : WordList.LARGE, request.seed())
                .forEach(reporter::dataSource);
        PigLatinData.Layout layout = p.string("architecture").equals("decoder-only") ? PigLatinData.Layout.DECODER_ONLY
                : PigLatinData.Layout.ENCODER_DECODER;
        PigLatinModel base = new PigLatinModel(layout, p.integer("hidden"), p.integer("heads"), p.integer("layers"),
                Positions.SINUSOIDAL);
        Map<String, Map<String, String>> translations = new LinkedHashMap<>();
        LinePlot.Builder curves = LinePlot.builder("loss-by-encoding.png", "nmt.positional-encoding: validation loss ("
                + p.string("architecture") + ")", "step", "validation cross-entropy (nats)");
        List<Double> accuracies = new ArrayList<>();
        for (Positions e : encodings) {
            Labels labels = Labels.of("encoding", e.id());
            TrainConfig cfg = TrainConfig.of(e.id(), p.integer("epochs"), p.integer("stepsPerEpoch"),
                    (float) p.decimal("learningRate"), request.seed()).withPatience(p.integer("patience"));
            Map<String, String> fingerprint = Checkpoints.fingerprint(p, "encodings", "epochs", "testWords", "translate");
            fingerprint.put("encoding", e.id());
            // Every encoding starts from the same seed and sees the same batches.
            Seeds.engine(request.seed());
            PigLatinTraining.Outcome o = PigLatinTraining.run(request, reporter, device, data, base.with(e),
                    p.integer("batchSize"), cfg, p.integer("testWords"), p.stringList("translate"), labels, fingerprint);
            reporter.answer("bestValLoss", labels, o.train().bestValLoss());
            reporter.answer("wordAccuracy", labels, o.wordAccuracy());
            reporter.metric("bestValLoss", labels, o.train().bestValLoss());
            reporter.metric("wordAccuracy", labels, o.wordAccuracy());
            reporter.metric("parameters", labels, o.parameters());
            translations.put(e.id(), o.translations());
            accuracies.add(o.wordAccuracy());
            curves.series("valLoss", labels, e.id());
            reporter.log(String.format("%s: best val loss %.4f, word accuracy %.3f", e.id(), o.train().bestValLoss(),
                    o.wordAccuracy()));
        }
        reporter.answer("translations", translations);
        reporter.plot(curves.build());
        reporter.plot(BarChart.of("accuracy-by-encoding.png", "nmt.positional-encoding: exact-word accuracy",
                "positional encoding", "word accuracy", encodings.stream().map(Positions::id).toList(), "wordAccuracy",
                accuracies));
    }
}
