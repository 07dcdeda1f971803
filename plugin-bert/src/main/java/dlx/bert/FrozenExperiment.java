package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.PlotSpec;
import dlx.api.RunContext;
import dlx.kit.djl.Devices;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * bert.frozen: the encoder stays frozen; its [CLS] vectors are computed once with ONNX Runtime and
 * only a classifier head is trained on them (DJL, AdamW).
 */
public final class FrozenExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return Bert.withHeadParams(ExperimentSpec.builder("bert.frozen")
                .title("Frozen encoder: classifier head on [CLS] vectors")
                .description("Verbal arithmetic (640 train / 160 test): [CLS] vectors of the encoder computed once with "
                        + "ONNX Runtime (batched, attention masks), then a classifier head trained in DJL. Reports train "
                        + "loss and validation accuracy per epoch, train time and accuracy.")
                .param(Bert.encoderParam())
                .param(Bert.tweetNormalization()))
                .build();
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        EncoderFolder folder = EncoderFolder.resolve(ctx.params().path(Bert.ENCODER), ctx.data().cacheDir());
        VerbalArithmetic.Split split = VerbalArithmetic.split(ctx.seed());
        Bert.Encoded enc;
        try (OnnxEncoder encoder = Bert.open(ctx, folder)) {
            enc = Bert.encode(encoder, split);
            Device device = Devices.choose(ctx.device());
            ctx.usedDevice("ONNX Runtime " + encoder.provider() + " (encoder); " + Devices.describe(device) + " (head)");
            ctx.answer("encoder", folder.name());
            ctx.answer("tokenizer", folder.tokenizerDescription());
            ctx.answer("tokenTypeIds", encoder.usesTokenTypes());
            try (NDManager manager = NDManager.newBaseManager(device);
                 FrozenClassifier clf = FrozenClassifier.train(ctx, manager, enc.train(),
                         VerbalArithmetic.labels(split.train()), enc.test(), VerbalArithmetic.labels(split.test()),
                         Bert.headSettings(ctx), "")) {
                record(ctx, clf.outcome(), enc, split);
            }
        }
        ctx.plot(PlotSpec.lines("loss.png", "bert.frozen: training loss", "epoch", "cross-entropy", "trainLoss"));
        ctx.plot(PlotSpec.lines("accuracy.png", "bert.frozen: validation accuracy", "epoch", "accuracy", "valAccuracy"));
    }

    static void record(RunContext ctx, FrozenClassifier.Outcome o, Bert.Encoded enc, VerbalArithmetic.Split split) {
        ctx.metric("valAccuracy", o.valAccuracy());
        ctx.metric("bestValAccuracy", o.bestValAccuracy());
        ctx.metric("finalTrainLoss", o.finalTrainLoss());
        ctx.metric("encodeSeconds", enc.seconds());
        ctx.metric("trainSeconds", o.trainSeconds());
        ctx.metric("epochSeconds", o.medianEpochSeconds());
        ctx.metric("majorityBaseline", split.majorityBaseline());
        ctx.answer("valAccuracy", o.valAccuracy());
        Map<String, Integer> counts = new LinkedHashMap<>();
        int[] c = VerbalArithmetic.labelCounts(split.test());
        for (int i = 0; i < c.length; i++) {
            counts.put(VerbalArithmetic.LABELS.get(i), c[i]);
        }
        ctx.answer("testLabelCounts", counts);
        ctx.log("validation accuracy " + Bert.percent(o.valAccuracy()) + " (majority baseline "
                + Bert.percent(split.majorityBaseline()) + "), head trained in " + String.format("%.2f s", o.trainSeconds())
                + ", [CLS] vectors in " + String.format("%.2f s", enc.seconds()));
    }
}
