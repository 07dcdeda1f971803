package dlx.nmt;

import ai.djl.Device;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.Params;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.api.TableSpec;
import dlx.kit.djl.Devices;
import dlx.kit.train.Checkpoints;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.train.Seeds;
import dlx.nmt.train.TrainConfig;
import java.util.List;
import java.util.Map;

/**
 * {@code nmt.compare-architectures} (CSC413 §3.2.3): the encoder–decoder translator of
 * {@code nmt.attention} and the decoder-only translator of {@code nmt.decoder-only}, same width,
 * heads, layers per stack, data, batches and schedule, side by side: parameters, forward FLOPs per
 * token and per word pair (counted from the matrix products, {@link dlx.nmt.model.Flops}), training
 * FLOPs (three forward passes per step), training time, lowest validation loss and word accuracy.
 */
public final class CompareArchitecturesExperiment implements Experiment {
    static final List<String> ARCHITECTURES = List.of("encoder-decoder", "decoder-only");

    @Override
    public ExperimentSpec spec() {
        ExperimentSpec.Builder spec = ExperimentSpec.builder("nmt.compare-architectures")
                .title("Decoder-only against encoder-decoder translators")
                .description("Trains both Pig Latin translators with the same width, heads, layers, data and schedule and "
                        + "reports parameters, forward FLOPs per token and per pair (from the matrix products, attention "
                        + "included), training FLOPs, training time, lowest validation loss and exact-word accuracy.");
        return TranslatorParams.training(TranslatorParams.hidden(TranslatorParams.dataset(spec)),
                new TranslatorParams.Defaults(15, 2, 25, 20))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        Params p = request.params();
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        PigLatinData data = new PigLatinData(WordList.top(p.string("dataset").equals("small") ? WordList.SMALL
                : WordList.LARGE), request.seed());
        WordList.pigLatinSources(p.string("dataset").equals("small") ? WordList.SMALL : WordList.LARGE, request.seed())
                .forEach(reporter::dataSource);
        int batch = p.integer("batchSize");
        TableSpec.Builder table = TableSpec.builder("architectures.csv", "architecture", "parameters", "forwardFlopsPerToken",
                "forwardFlopsPerPair", "trainingFlops", "trainingSeconds", "msPerStep", "bestValLoss", "wordAccuracy");
        LinePlot.Builder curves = LinePlot.builder("loss-by-architecture.png", "nmt.compare-architectures: validation loss",
                "step", "validation cross-entropy (nats)");
        for (String architecture : ARCHITECTURES) {
            PigLatinModel model = architecture.equals("decoder-only")
                    ? PigLatinModel.decoderOnly(p.integer("hidden"), p.integer("heads"), p.integer("layers"))
                    : PigLatinModel.encoderDecoder(p.integer("hidden"), p.integer("heads"), p.integer("layers"));
            Labels labels = Labels.of("architecture", architecture);
            TrainConfig cfg = TrainConfig.of(architecture, p.integer("epochs"), p.integer("stepsPerEpoch"),
                    (float) p.decimal("learningRate"), request.seed()).withPatience(p.integer("patience"));
            Map<String, String> fingerprint = Checkpoints.fingerprint(p, "epochs", "testWords", "translate");
            fingerprint.put("architecture", architecture);
            Seeds.engine(request.seed());
            PigLatinTraining.Outcome o = PigLatinTraining.run(request, reporter, device, data, model, batch, cfg,
                    p.integer("testWords"), p.stringList("translate"), labels, fingerprint);
            // Expectations over the training batches: FLOPs and tokens of a batch, then per token and per pair.
            double flopsPerBatch = data.expectedPerBatch(batch, model::forwardFlops);
            double tokensPerBatch = data.expectedPerBatch(batch, model.layout()::tokens);
            double pairsPerBatch = data.expectedPerBatch(batch, (s, t) -> 1);
            double trainingFlops = 3 * flopsPerBatch * o.train().steps();
            double seconds = o.train().summary().seconds();
            reporter.answer("parameters", labels, o.parameters());
            reporter.answer("forwardFlopsPerToken", labels, flopsPerBatch / tokensPerBatch);
            reporter.answer("forwardFlopsPerPair", labels, flopsPerBatch / pairsPerBatch);
            reporter.answer("trainingFlops", labels, trainingFlops);
            reporter.answer("trainingSeconds", labels, seconds);
            reporter.answer("msPerStep", labels, o.train().msPerStep());
            reporter.answer("bestValLoss", labels, o.train().bestValLoss());
            reporter.answer("wordAccuracy", labels, o.wordAccuracy());
            reporter.answer("translations", labels, o.translations());
            reporter.metric("bestValLoss", labels, o.train().bestValLoss());
            reporter.metric("wordAccuracy", labels, o.wordAccuracy());
            reporter.metric("trainingSeconds", labels, seconds);
            table.row(architecture, o.parameters(), flopsPerBatch / tokensPerBatch, flopsPerBatch / pairsPerBatch,
                    trainingFlops, seconds, o.train().msPerStep(), o.train().bestValLoss(), o.wordAccuracy());
            curves.series("valLoss", labels, architecture);
            reporter.log(String.format("%s: %,d parameters, %.3g forward FLOPs per token, %.0f s, best val loss %.4f, "
                    + "word accuracy %.3f", architecture, o.parameters(), flopsPerBatch / tokensPerBatch, seconds,
                    o.train().bestValLoss(), o.wordAccuracy()));
        }
        reporter.table(table.build());
        reporter.plot(curves.build());
    }
}
