package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.RunContext;
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
    public void run(RunContext ctx) throws Exception {
        EncoderFolder folder = EncoderFolder.resolve(ctx.params().path(Bert.ENCODER), ctx.data().cacheDir());
        VerbalArithmetic.Split split = VerbalArithmetic.split(ctx.seed());
        List<String> trainX = VerbalArithmetic.texts(split.train());
        List<String> testX = VerbalArithmetic.texts(split.test());
        int[] trainY = VerbalArithmetic.labels(split.train());
        int[] testY = VerbalArithmetic.labels(split.test());
        Device device = Devices.choose(ctx.device());
        double fineTuned;
        try (OnnxEncoder encoder = Bert.open(ctx, folder); NDManager manager = NDManager.newBaseManager(device)) {
            ctx.usedDevice("ONNX Runtime " + encoder.provider() + " (reference, frozen features); "
                    + Devices.describe(device) + " (fine-tuning)");
            long t0 = System.nanoTime();
            BertWeights weights = BertWeights.load(folder);
            ctx.metric("importSeconds", (System.nanoTime() - t0) / 1e9);
            ctx.answer("encoder", folder.name());
            ctx.answer("tokenizer", folder.tokenizerDescription());
            ctx.answer("layout", weights.layout());
            ctx.answer("architecture", weights.layers() + " layers, hidden " + weights.hidden() + ", " + weights.heads()
                    + " heads, " + weights.parameterCount() + " parameters");
            try (FineTunedModel model = FineTunedModel.create(manager, encoder, weights,
                    ctx.params().integer("hiddenUnits"), ctx.seed())) {
                List<String> probe = List.of(testX.get(0), "seventeen minus three", "zero plus zero", testX.get(1) + " " + testX.get(2),
                        "twenty");
                double diff = FineTunedModel.maxAbsDifference(model.bert(), encoder, probe);
                ctx.verify("importMaxAbsDiff", diff, IMPORT_TOLERANCE);
                ctx.log(String.format("weight import: DJL vs ONNX Runtime max abs difference %.2e", diff));
                if (!(diff < IMPORT_TOLERANCE)) {
                    throw new IllegalStateException("the DJL forward pass does not reproduce ONNX Runtime on " + folder.model()
                            + " (max abs difference " + diff + "); not fine-tuning a wrongly imported encoder");
                }
                FineTunedModel.Settings s = new FineTunedModel.Settings(ctx.params().integer("epochs"),
                        ctx.params().decimal("learningRate"), ctx.params().integer("hiddenUnits"),
                        ctx.params().integer("batchSize"), ctx.params().decimal("weightDecay"),
                        ctx.params().bool("trainWordEmbeddings"), ctx.seed());
                model.train(ctx, trainX, trainY, testX, testY, s);
                FineTunedModel.Outcome o = model.outcome();
                ctx.metric("valAccuracy", o.valAccuracy());
                ctx.metric("bestValAccuracy", o.bestValAccuracy());
                ctx.metric("finalTrainLoss", o.finalTrainLoss());
                ctx.metric("trainSeconds", o.trainSeconds());
                ctx.metric("epochSeconds", o.medianEpochSeconds());
                ctx.metric("trainableParameters", o.trainableParameters());
                ctx.metric("majorityBaseline", split.majorityBaseline());
                ctx.answer("valAccuracy", o.valAccuracy());
                fineTuned = o.valAccuracy();
            }
            if (ctx.params().bool("compareFrozen")) {
                Bert.Encoded enc = Bert.encode(encoder, split);
                FrozenClassifier.Settings fs = new FrozenClassifier.Settings(ctx.params().integer("headEpochs"),
                        ctx.params().decimal("headLearningRate"), 128, ctx.params().integer("batchSize"),
                        ctx.params().decimal("weightDecay"), ctx.seed());
                try (FrozenClassifier clf = FrozenClassifier.train(ctx, manager, enc.train(), trainY, enc.test(), testY,
                        fs, "Frozen")) {
                    FrozenClassifier.Outcome f = clf.outcome();
                    ctx.metric("frozenValAccuracy", f.valAccuracy());
                    ctx.metric("frozenTrainSeconds", f.trainSeconds() + enc.seconds());
                    ctx.answer("frozenValAccuracy", f.valAccuracy());
                    ctx.log("frozen encoder: validation accuracy " + Bert.percent(f.valAccuracy()) + " versus fine-tuned "
                            + Bert.percent(fineTuned));
                }
            }
        }
        ctx.plot(PlotSpec.lines("loss.png", "bert.finetune: training loss", "epoch", "cross-entropy", "trainLoss"));
        ctx.plot(PlotSpec.lines("accuracy.png", "bert.finetune: validation accuracy", "epoch", "accuracy", "valAccuracy"));
    }
}
