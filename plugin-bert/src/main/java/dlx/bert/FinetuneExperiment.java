package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import java.util.List;

/**
 * bert.finetune: the exported encoder's weights imported into a DJL BERT (placed by following the
 * ONNX graph), the import proved against ONNX Runtime (max abs difference of the last hidden state
 * below 1e-3 on a padded batch), then encoder and head trained end to end with AdamW. The frozen
 * classifier of bert.frozen runs on the same split for the side-by-side numbers.
 */
public final class FinetuneExperiment implements Experiment {
    static final double IMPORT_TOLERANCE = 1e-3;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("bert.finetune")
                .title("Fine-tuned encoder: encoder weights trained too")
                .description("Imports the ONNX export's weights into a BERT written in DJL, checks the DJL forward pass "
                        + "against ONNX Runtime (max abs difference < 1e-3), then fine-tunes encoder + classifier head "
                        + "with AdamW on verbal arithmetic. Also runs the frozen-encoder classifier on the same split "
                        + "(compareFrozen) so that accuracy and train time can be compared.")
                .param(Bert.encoderParam())
                .param(Bert.tweetNormalization())
                .param(ParamSpec.integer("epochs", 6).quick(2).range(1, 1000).help("fine-tuning epochs"))
                .param(ParamSpec.decimal("learningRate", 1e-4).range(1e-8, 1).help("AdamW learning rate (encoder and head)"))
                .param(ParamSpec.integer("hiddenUnits", 0).range(0, 4096).help("hidden ReLU units of the head; 0 = linear head"))
                .param(ParamSpec.integer("batchSize", 32).range(1, 1024).help("training mini-batch size"))
                .param(Bert.weightDecay())
                .param(ParamSpec.bool("trainWordEmbeddings", false).help("also train the word-embedding matrix (the task "
                        + "uses a few dozen of its rows; AdamW over all of them is most of a step's cost)"))
                .param(ParamSpec.bool("compareFrozen", true).help("also train the frozen-encoder classifier on the same split"))
                .param(Bert.headEpochs())
                .param(Bert.headLearningRate())
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        EncoderFolder folder = EncoderFolder.resolve(request.params().path(Bert.ENCODER), request.data().cacheDir());
        VerbalArithmetic.Split split = VerbalArithmetic.split(request.seed());
        List<String> trainX = VerbalArithmetic.texts(split.train());
        List<String> testX = VerbalArithmetic.texts(split.test());
        int[] trainY = VerbalArithmetic.labels(split.train());
        int[] testY = VerbalArithmetic.labels(split.test());
        Device device = Devices.choose(request);
        Labels fineTunedLabels = Labels.of(Bert.TRAINING, Bert.FINE_TUNED);
        double fineTuned;
        try (OnnxEncoder encoder = Bert.open(request, reporter, folder); NDManager manager = NDManager.newBaseManager(device)) {
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
            try (FineTunedModel model = FineTunedModel.create(manager, encoder, weights,
                    request.params().integer("hiddenUnits"), request.seed())) {
                List<String> probe = List.of(testX.get(0), "seventeen minus three", "zero plus zero", testX.get(1) + " " + testX.get(2),
                        "twenty");
                checkImport(reporter, Labels.NONE, folder, FineTunedModel.maxAbsDifference(model.bert(), encoder, probe));
                FineTunedModel.Settings s = new FineTunedModel.Settings(request.params().integer("epochs"),
                        request.params().decimal("learningRate"), request.params().integer("hiddenUnits"),
                        request.params().integer("batchSize"), request.params().decimal("weightDecay"),
                        request.params().bool("trainWordEmbeddings"), request.seed());
                Trained o = model.train(request, reporter, trainX, trainY, testX, testY, s, fineTunedLabels);
                Bert.report(reporter, fineTunedLabels, o);
                reporter.metric("trainableParameters", model.trainableParameters());
                reporter.metric("majorityBaseline", split.majorityBaseline());
                reporter.answer("valAccuracy", fineTunedLabels, o.valAccuracy());
                fineTuned = o.valAccuracy();
            }
            if (request.params().bool("compareFrozen")) {
                Labels frozenLabels = Labels.of(Bert.TRAINING, Bert.FROZEN);
                Bert.Encoded enc = Bert.encode(encoder, split);
                FrozenClassifier.Settings fs = new FrozenClassifier.Settings(request.params().integer("headEpochs"),
                        request.params().decimal("headLearningRate"), 128, request.params().integer("batchSize"),
                        request.params().decimal("weightDecay"), request.seed());
                try (FrozenClassifier clf = FrozenClassifier.train(request, reporter, manager, enc.train(), trainY, enc.test(),
                        testY, fs, frozenLabels)) {
                    Trained f = clf.outcome();
                    Bert.report(reporter, frozenLabels, f);
                    reporter.metric("encodeSeconds", enc.seconds());
                    reporter.answer("valAccuracy", frozenLabels, f.valAccuracy());
                    reporter.log("frozen encoder: validation accuracy " + Bert.percent(f.valAccuracy()) + " versus fine-tuned "
                            + Bert.percent(fineTuned));
                }
            }
        }
        reporter.plot(LinePlot.builder("loss.png", "bert.finetune: training loss", "epoch", "cross-entropy")
                .series("trainLoss", fineTunedLabels, "fine-tuned").build());
        reporter.plot(LinePlot.builder("accuracy.png", "bert.finetune: validation accuracy", "epoch", "accuracy")
                .series("valAccuracy", fineTunedLabels, "fine-tuned").build());
    }

    /**
     * Records how far the DJL forward pass is from ONNX Runtime ({@code importMaxAbsDiff}, a check)
     * and refuses to go on with a wrongly imported encoder.
     */
    static void checkImport(RunReporter reporter, Labels labels, EncoderFolder folder, double diff) {
        reporter.verify("importMaxAbsDiff", labels, diff, IMPORT_TOLERANCE);
        reporter.log(String.format("weight import: DJL vs ONNX Runtime max abs difference %.2e", diff));
        if (!(diff < IMPORT_TOLERANCE)) {
            throw new IllegalStateException("the DJL forward pass does not reproduce ONNX Runtime on " + folder.model()
                    + " (max abs difference " + diff + "); not fine-tuning a wrongly imported encoder");
        }
    }
}
