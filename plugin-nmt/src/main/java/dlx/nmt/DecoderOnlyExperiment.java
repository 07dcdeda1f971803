package dlx.nmt;

import ai.djl.Device;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.train.Checkpoints;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.Training;

/**
 * {@code nmt.decoder-only}: English → Pig Latin with a decoder-only transformer trained on
 * {@code <SOS> source <EOP> target → source <EOP> target <EOS>}, the loss taken on the target part
 * only; autoregressive greedy translation after {@code <SOS> source <EOP>}.
 */
public final class DecoderOnlyExperiment implements Experiment {
    static final String DEFAULT_TRANSLATE = "the air conditioning is working,i went shopping,team,impress";

    @Override
    public ExperimentSpec spec() {
        ExperimentSpec.Builder spec = ExperimentSpec.builder("nmt.decoder-only")
                .title("Decoder-only transformer translating English to Pig Latin")
                .description("Character-level decoder-only transformer on <SOS> src <EOP> tgt -> src <EOP> tgt <EOS> with "
                        + "the loss on the target part only; greedy autoregressive translation. Same data, sizes and "
                        + "loss tokens as nmt.attention, so bestValLoss and wordAccuracy compare directly.");
        return TranslatorParams.training(TranslatorParams.hidden(TranslatorParams.dataset(spec)),
                new TranslatorParams.Defaults(30, 3, 40, 30))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        var p = request.params();
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        int words = p.string("dataset").equals("small") ? WordList.SMALL : WordList.LARGE;
        PigLatinData data = new PigLatinData(WordList.top(words), request.seed());
        WordList.pigLatinSources(words, request.seed()).forEach(reporter::dataSource);
        TrainConfig cfg = TrainConfig.of("train", p.integer("epochs"), p.integer("stepsPerEpoch"),
                (float) p.decimal("learningRate"), request.seed()).withPatience(p.integer("patience"));
        PigLatinTraining.Outcome o = PigLatinTraining.run(request, reporter, device, data,
                PigLatinModel.decoderOnly(p.integer("hidden"), p.integer("heads"), p.integer("layers")), p.integer("batchSize"), cfg,
                p.integer("testWords"), p.stringList("translate"), Labels.NONE,
                Checkpoints.fingerprint(p, "epochs", "testWords", "translate"));
        reporter.answer("bestValLoss", o.train().bestValLoss());
        reporter.answer("wordAccuracy", o.wordAccuracy());
        reporter.answer("translations", o.translations());
        reporter.metric("bestValLoss", o.train().bestValLoss());
        reporter.metric("wordAccuracy", o.wordAccuracy());
        reporter.metric("initialValLoss", o.train().initialValLoss());
        reporter.metric("parameters", o.parameters());
        reporter.metric("steps", o.train().steps());
        reporter.plot(Training.lossPlot("loss.png", "nmt.decoder-only: " + p.string("dataset") + " set, hidden "
                + p.integer("hidden")));
    }
}
