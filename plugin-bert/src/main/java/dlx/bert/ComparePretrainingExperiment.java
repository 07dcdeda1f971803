package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.BarChart;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bert.compare-pretraining: the same frozen-encoder task for every encoder folder given (MathBERT
 * versus BERTweet in the course; default the embedded all-MiniLM-L6-v2), validation accuracy side
 * by side and as a bar chart.
 */
public final class ComparePretrainingExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return Bert.withHeadParams(ExperimentSpec.builder("bert.compare-pretraining")
                .title("Encoders pretrained on different corpora, side by side")
                .description("For each encoder folder of 'encoders' (model.onnx + tokenizer.json, e.g. MathBERT and "
                        + "BERTweet exported with optimum-cli), the frozen-encoder classifier of bert.frozen on the same "
                        + "verbal-arithmetic split: validation accuracy per encoder, curves and a bar chart.")
                .param(Bert.encodersParam())
                .param(Bert.tweetNormalization()))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        List<EncoderFolder> folders = Bert.folders(request, request.params().stringList(Bert.ENCODERS));
        List<String> names = Bert.names(folders);
        VerbalArithmetic.Split split = VerbalArithmetic.split(request.seed());
        Device device = Devices.choose(request);
        Map<String, Double> accuracy = new LinkedHashMap<>();
        List<String> providers = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (int i = 0; i < folders.size(); i++) {
                request.checkCancelled();
                String name = names.get(i);
                Labels labels = Labels.of(Bert.ENCODER, name);
                reporter.answer("tokenizers", labels, folders.get(i).tokenizerDescription());
                try (OnnxEncoder encoder = Bert.open(request, reporter, folders.get(i))) {
                    providers.add(encoder.provider());
                    Bert.Encoded enc = Bert.encode(encoder, split);
                    try (FrozenClassifier clf = FrozenClassifier.train(request, reporter, manager, enc.train(),
                            VerbalArithmetic.labels(split.train()), enc.test(), VerbalArithmetic.labels(split.test()),
                            Bert.headSettings(request), labels)) {
                        Trained o = clf.outcome();
                        accuracy.put(name, o.valAccuracy());
                        Bert.report(reporter, labels, o);
                        reporter.metric("encodeSeconds", labels, enc.seconds());
                        reporter.answer("valAccuracy", labels, o.valAccuracy());
                        reporter.answer("trainSeconds", labels, o.trainSeconds());
                        reporter.log(name + ": validation accuracy " + Bert.percent(o.valAccuracy()));
                    }
                }
            }
        }
        reporter.usedDevice("ONNX Runtime " + String.join("/", providers.stream().distinct().toList()) + " (encoders); "
                + Devices.describe(device) + " (heads)");
        reporter.metric("majorityBaseline", split.majorityBaseline());
        String best = accuracy.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        reporter.answer("best", best);
        reporter.plot(BarChart.of("accuracy-by-encoder.png", "bert.compare-pretraining: validation accuracy (frozen encoder)",
                "encoder", "accuracy", names, "valAccuracy", new ArrayList<>(accuracy.values())));
        reporter.plot(LinePlot.builder("loss.png", "training loss by encoder", "epoch", "cross-entropy")
                .everyLabelSet("trainLoss").build());
        reporter.plot(LinePlot.builder("accuracy.png", "validation accuracy by encoder", "epoch", "accuracy")
                .everyLabelSet("valAccuracy").build());
    }
}
