package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.onnx.OrtSettings;
import jakarta.inject.Inject;

/**
 * bert.finetune: the exported encoder's weights imported into a DJL BERT (placed by following the
 * ONNX graph), the import proved against ONNX Runtime (max abs difference of the last hidden state
 * below 1e-3 on a padded batch), then encoder and head trained end to end with AdamW. Beside it, the
 * frozen encoder with the same head on [CLS] (so that the two differ in one thing) and, as an extra
 * row, the frozen encoder with a small MLP head on standardised features.
 */
public final class FinetuneExperiment implements Experiment {

    private final Configuration configuration;

    /** {@code configuration} gives the ONNX Runtime settings ({@link OrtSettings}), read when a run starts. */
    @Inject
    public FinetuneExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return Bert.withFineTuneParams(ExperimentSpec.builder("bert.finetune")
                .title("Fine-tuned encoder: encoder weights trained too")
                .description("Imports the ONNX export's weights into a BERT written in DJL, checks the DJL forward pass "
                        + "against ONNX Runtime (max abs difference < 1e-3), then fine-tunes encoder + classifier head "
                        + "with AdamW on verbal arithmetic. Also trains the same head on the frozen encoder's [CLS] "
                        + "vectors (compareFrozen): accuracy and time per epoch side by side, and why they differ.")
                .param(Bert.encoderParam())
                .param(Bert.tweetNormalization())
                .param(ParamSpec.integer("hiddenUnits", 0).range(0, 4096).help("hidden ReLU units of the head; 0 = linear head"))
                .param(ParamSpec.bool("compareFrozen", true)
                        .help("also train the same head on the frozen encoder's [CLS] vectors"))
                .param(ParamSpec.integer("frozenMlpUnits", 128).range(0, 4096).help("extra row: the frozen encoder with an MLP "
                        + "head of this many hidden units on standardised [CLS] features (0 = no extra row)")), 2)
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        EncoderFolder folder = EncoderFolder.resolve(request.params().path(Bert.ENCODER), request.data().cacheDir());
        VerbalArithmetic.Split split = VerbalArithmetic.split(request.seed());
        reporter.dataSource(VerbalArithmetic.source(request.seed()));
        int hidden = request.params().integer("hiddenUnits");
        int mlpUnits = request.params().integer("frozenMlpUnits");
        String head = Head.name(hidden);
        Device device = Devices.choose(request);
        Labels fineTunedLabels = Labels.of(Bert.TRAINING, Bert.FINE_TUNED, Bert.HEAD, head);
        Labels frozenLabels = Labels.of(Bert.TRAINING, Bert.FROZEN, Bert.HEAD, head);
        try (OnnxEncoder encoder = Bert.open(request, reporter, folder, OrtSettings.from(configuration)); NDManager manager = NDManager.newBaseManager(device)) {
            reporter.usedDevice("ONNX Runtime " + encoder.provider() + " (reference, frozen features); "
                    + Devices.describe(device) + " (fine-tuning)");
            long t0 = System.nanoTime();
            BertWeights weights = BertWeights.load(folder);
            reporter.metric("importSeconds", (System.nanoTime() - t0) / 1e9);
            reporter.answer("encoder", folder.name());
            reporter.answer("tokenizer", folder.tokenizerDescription());
            reporter.answer("layout", weights.layout());
            reporter.answer("architecture", weights.layers() + " layers, hidden " + weights.hidden() + ", " + weights.heads()
                    + " heads, " + weights.parameterCount() + " parameters");
            reporter.metric("majorityBaseline", split.majorityBaseline());
            Bert.Run fineTuned = Bert.fineTune(request, reporter, manager, encoder, folder, weights, split,
                    Bert.fineTuneSettings(request, hidden), Labels.NONE, fineTunedLabels);
            reporter.answer("valAccuracy", fineTunedLabels, fineTuned.outcome().valAccuracy());
            reporter.answer("epochSeconds", fineTunedLabels, fineTuned.outcome().medianEpochSeconds());
            if (request.params().bool("compareFrozen")) {
                Bert.Encoded enc = Bert.encode(encoder, split);
                reporter.metric("encodeSeconds", enc.seconds());
                Bert.Run frozen = Bert.frozen(request, reporter, manager, enc, split,
                        Bert.frozenSettings(request, hidden, false), frozenLabels);
                reporter.answer("valAccuracy", frozenLabels, frozen.outcome().valAccuracy());
                reporter.answer("epochSeconds", frozenLabels, frozen.outcome().medianEpochSeconds());
                Comparison c = new Comparison(frozen.outcome(), frozen.trainable(), enc.seconds(), fineTuned.outcome(),
                        fineTuned.trainable(), head);
                c.report(reporter, Labels.NONE);
                reporter.log(c.why());
                if (mlpUnits > 0 && mlpUnits != hidden) {
                    Labels mlp = Labels.of(Bert.TRAINING, Bert.FROZEN, Bert.HEAD, Head.name(mlpUnits));
                    Bert.Run extra = Bert.frozen(request, reporter, manager, enc, split,
                            Bert.frozenSettings(request, mlpUnits, true), mlp);
                    reporter.answer("valAccuracy", mlp, extra.outcome().valAccuracy());
                    reporter.answer("epochSeconds", mlp, extra.outcome().medianEpochSeconds());
                }
            }
        }
        reporter.plot(LinePlot.builder("loss.png", "bert.finetune: training loss", "epoch", "cross-entropy")
                .series("trainLoss", fineTunedLabels, "fine-tuned").build());
        LinePlot.Builder accuracy = LinePlot.builder("accuracy.png", "bert.finetune: validation accuracy", "epoch", "accuracy")
                .series("valAccuracy", fineTunedLabels, "fine-tuned");
        if (request.params().bool("compareFrozen")) {
            accuracy.series("valAccuracy", frozenLabels, "frozen, same head");
        }
        reporter.plot(accuracy.build());
    }
}
