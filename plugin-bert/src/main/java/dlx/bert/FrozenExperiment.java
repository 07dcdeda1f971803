package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.onnx.OrtSettings;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * bert.frozen: the encoder stays frozen; its [CLS] vectors are computed once with ONNX Runtime and
 * only a classifier head is trained on them (DJL, AdamW).
 */
public final class FrozenExperiment implements Experiment {

    private final Configuration configuration;

    /** {@code configuration} gives the ONNX Runtime settings ({@link OrtSettings}), read when a run starts. */
    @Inject
    public FrozenExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

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
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        EncoderFolder folder = EncoderFolder.resolve(request.params().path(Bert.ENCODER), request.data().cacheDir());
        VerbalArithmetic.Split split = VerbalArithmetic.split(request.seed());
        reporter.dataSource(VerbalArithmetic.source(request.seed()));
        try (OnnxEncoder encoder = Bert.open(request, reporter, folder, OrtSettings.from(configuration))) {
            Bert.Encoded enc = Bert.encode(encoder, split);
            Device device = Devices.choose(request);
            reporter.usedDevice("ONNX Runtime " + encoder.provider() + " (encoder); " + Devices.describe(device) + " (head)");
            reporter.answer("encoder", folder.name());
            reporter.answer("tokenizer", folder.tokenizerDescription());
            reporter.answer("tokenTypeIds", encoder.usesTokenTypes());
            try (NDManager manager = NDManager.newBaseManager(device);
                 FrozenClassifier clf = FrozenClassifier.train(request, reporter, manager, enc.train(),
                         VerbalArithmetic.labels(split.train()), enc.test(), VerbalArithmetic.labels(split.test()),
                         Bert.headSettings(request), Labels.NONE)) {
                record(reporter, clf.outcome(), enc, split);
            }
        }
        reporter.plot(PlotSpec.lines("loss.png", "bert.frozen: training loss", "epoch", "cross-entropy", "trainLoss"));
        reporter.plot(PlotSpec.lines("accuracy.png", "bert.frozen: validation accuracy", "epoch", "accuracy", "valAccuracy"));
    }

    private static void record(RunReporter reporter, Trained o, Bert.Encoded enc, VerbalArithmetic.Split split) {
        Bert.report(reporter, Labels.NONE, o);
        reporter.metric("encodeSeconds", enc.seconds());
        reporter.metric("majorityBaseline", split.majorityBaseline());
        reporter.answer("valAccuracy", o.valAccuracy());
        Map<String, Integer> counts = new LinkedHashMap<>();
        int[] c = VerbalArithmetic.labelCounts(split.test());
        for (int i = 0; i < c.length; i++) {
            counts.put(VerbalArithmetic.LABELS.get(i), c[i]);
        }
        reporter.answer("testLabelCounts", counts);
        reporter.log("validation accuracy " + Bert.percent(o.valAccuracy()) + " (majority baseline "
                + Bert.percent(split.majorityBaseline()) + "), head trained in " + String.format("%.2f s", o.trainSeconds())
                + ", [CLS] vectors in " + String.format("%.2f s", enc.seconds()));
    }
}
