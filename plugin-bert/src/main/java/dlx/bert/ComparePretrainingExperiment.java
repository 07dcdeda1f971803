package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.PlotSpec;
import dlx.api.RunContext;
import dlx.kit.djl.Devices;
import dlx.kit.plot.Charts;
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
    public void run(RunContext ctx) throws Exception {
        List<EncoderFolder> folders = Bert.folders(ctx, ctx.params().stringList(Bert.ENCODERS));
        List<String> names = Bert.names(folders);
        VerbalArithmetic.Split split = VerbalArithmetic.split(ctx.seed());
        Device device = Devices.choose(ctx.device());
        Map<String, Double> accuracy = new LinkedHashMap<>();
        Map<String, Double> trainSeconds = new LinkedHashMap<>();
        Map<String, String> tokenizers = new LinkedHashMap<>();
        List<String> providers = new ArrayList<>();
        List<String> lossSeries = new ArrayList<>();
        List<String> accSeries = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (int i = 0; i < folders.size(); i++) {
                ctx.checkCancelled();
                String name = names.get(i);
                String suffix = Bert.keySuffix(name);
                tokenizers.put(name, folders.get(i).tokenizerDescription());
                try (OnnxEncoder encoder = Bert.open(ctx, folders.get(i))) {
                    providers.add(encoder.provider());
                    Bert.Encoded enc = Bert.encode(encoder, split);
                    try (FrozenClassifier clf = FrozenClassifier.train(ctx, manager, enc.train(),
                            VerbalArithmetic.labels(split.train()), enc.test(), VerbalArithmetic.labels(split.test()),
                            Bert.headSettings(ctx), suffix)) {
                        FrozenClassifier.Outcome o = clf.outcome();
                        accuracy.put(name, o.valAccuracy());
                        trainSeconds.put(name, o.trainSeconds());
                        ctx.metric("valAccuracy" + suffix, o.valAccuracy());
                        ctx.metric("trainSeconds" + suffix, o.trainSeconds());
                        ctx.metric("epochSeconds" + suffix, o.medianEpochSeconds());
                        ctx.metric("encodeSeconds" + suffix, enc.seconds());
                        ctx.log(name + ": validation accuracy " + Bert.percent(o.valAccuracy()));
                    }
                }
                lossSeries.add("trainLoss" + suffix);
                accSeries.add("valAccuracy" + suffix);
            }
        }
        ctx.usedDevice("ONNX Runtime " + String.join("/", providers.stream().distinct().toList()) + " (encoders); "
                + Devices.describe(device) + " (heads)");
        ctx.metric("majorityBaseline", split.majorityBaseline());
        ctx.answer("valAccuracy", accuracy);
        ctx.answer("trainSeconds", trainSeconds);
        ctx.answer("tokenizers", tokenizers);
        String best = accuracy.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        ctx.answer("best", best);
        Charts.bars("bert.compare-pretraining: validation accuracy (frozen encoder)", "encoder", "accuracy",
                names, Map.of("valAccuracy", new ArrayList<>(accuracy.values())), ctx.outputDir().resolve("accuracy-by-encoder.png"));
        ctx.artifact("accuracy-by-encoder.png");
        ctx.plot(new PlotSpec("loss.png", "training loss by encoder", "epoch", "cross-entropy", lossSeries, false, false));
        ctx.plot(new PlotSpec("accuracy.png", "validation accuracy by encoder", "epoch", "accuracy", accSeries, false, false));
    }
}
