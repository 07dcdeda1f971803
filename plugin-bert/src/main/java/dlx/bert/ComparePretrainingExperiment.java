package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.BarChart;
import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.api.TableSpec;
import dlx.kit.djl.Devices;
import dlx.kit.onnx.OrtSettings;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bert.compare-pretraining: every encoder folder given (MathBERT versus BERTweet in the course;
 * default the embedded all-MiniLM-L6-v2) fine-tuned the same way (same split, same linear head on
 * [CLS], same schedule and seed), validation accuracy side by side; the same linear head trained on
 * each frozen encoder's [CLS] vectors as the second column, with the time per epoch of both.
 */
public final class ComparePretrainingExperiment implements Experiment {
    /** The head of every model here: linear on [CLS], so that the encoders differ in their pretraining only. */
    private static final int LINEAR = 0;

    private final Configuration configuration;

    /** {@code configuration} gives the ONNX Runtime settings ({@link OrtSettings}), read when a run starts. */
    @Inject
    public ComparePretrainingExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return Bert.withFineTuneParams(ExperimentSpec.builder("bert.compare-pretraining")
                .title("Encoders pretrained on different corpora, fine-tuned the same way")
                .description("For each encoder folder of 'encoders' (e.g. MathBERT and BERTweet exported with optimum-cli), "
                        + "fine-tunes the encoder with a linear head on [CLS] on the same verbal-arithmetic split with the "
                        + "same schedule, and trains the same linear head on the frozen encoder's [CLS] vectors: validation "
                        + "accuracy (fine-tuned, frozen) and time per epoch per encoder, a table and a bar chart.")
                .param(Bert.encodersParam())
                .param(Bert.tweetNormalization()), 1)
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        List<EncoderFolder> folders = Bert.folders(request, request.params().stringList(Bert.ENCODERS));
        List<String> names = Bert.names(folders);
        VerbalArithmetic.Split split = VerbalArithmetic.split(request.seed());
        reporter.dataSource(VerbalArithmetic.source(request.seed()));
        Device device = Devices.choose(request);
        Map<String, Comparison> results = new LinkedHashMap<>();
        List<String> providers = new ArrayList<>();
        reporter.metric("majorityBaseline", split.majorityBaseline());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (int i = 0; i < folders.size(); i++) {
                request.checkCancelled();
                String name = names.get(i);
                EncoderFolder folder = folders.get(i);
                Labels encoderLabels = Labels.of(Bert.ENCODER, name);
                reporter.answer("tokenizers", encoderLabels, folder.tokenizerDescription());
                try (OnnxEncoder encoder = Bert.open(request, reporter, folder, OrtSettings.from(configuration))) {
                    providers.add(encoder.provider());
                    BertWeights weights = BertWeights.load(folder);
                    reporter.answer("parameters", encoderLabels, weights.parameterCount());
                    Labels fineTunedLabels = Bert.labels(name, Bert.FINE_TUNED);
                    Bert.Run fineTuned = Bert.fineTune(request, reporter, manager, encoder, folder, weights, split,
                            Bert.fineTuneSettings(request, LINEAR), encoderLabels, fineTunedLabels);
                    Bert.Encoded enc = Bert.encode(encoder, split);
                    reporter.metric("encodeSeconds", encoderLabels, enc.seconds());
                    Labels frozenLabels = Bert.labels(name, Bert.FROZEN);
                    Bert.Run frozen = Bert.frozen(request, reporter, manager, enc, split,
                            Bert.frozenSettings(request, LINEAR, false), frozenLabels);
                    Comparison c = new Comparison(frozen.outcome(), frozen.trainable(), enc.seconds(), fineTuned.outcome(),
                            fineTuned.trainable(), Head.name(LINEAR));
                    answer(reporter, fineTunedLabels, fineTuned.outcome());
                    answer(reporter, frozenLabels, frozen.outcome());
                    c.report(reporter, encoderLabels);
                    results.put(name, c);
                    reporter.log(name + ": fine-tuned " + Bert.percent(fineTuned.outcome().valAccuracy()) + ", frozen "
                            + Bert.percent(frozen.outcome().valAccuracy()) + ". " + c.why());
                }
            }
        }
        reporter.usedDevice("ONNX Runtime " + String.join("/", providers.stream().distinct().toList()) + " (frozen [CLS]); "
                + Devices.describe(device) + " (fine-tuning, heads)");
        reporter.answer("best", best(results, true));
        reporter.answer("bestFrozen", best(results, false));
        report(reporter, names, results);
    }

    private static void answer(RunReporter reporter, Labels labels, Trained o) {
        reporter.answer("valAccuracy", labels, o.valAccuracy());
        reporter.answer("epochSeconds", labels, o.medianEpochSeconds());
        reporter.answer("trainSeconds", labels, o.trainSeconds());
    }

    /** The encoder with the highest validation accuracy, fine-tuned or frozen (the first one on ties). */
    static String best(Map<String, Comparison> results, boolean fineTuned) {
        String best = null;
        double top = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Comparison> e : results.entrySet()) {
            double a = (fineTuned ? e.getValue().fineTuned() : e.getValue().frozen()).valAccuracy();
            if (a > top) {
                top = a;
                best = e.getKey();
            }
        }
        return best;
    }

    private static void report(RunReporter reporter, List<String> names, Map<String, Comparison> results) {
        TableSpec.Builder table = TableSpec.builder("compare-pretraining.csv", "encoder", "fineTunedAccuracy", "frozenAccuracy",
                "fineTunedEpochSeconds", "frozenEpochSeconds", "epochSecondsRatio", "fineTunedTrainable", "frozenTrainable");
        List<Double> fineTuned = new ArrayList<>();
        List<Double> frozen = new ArrayList<>();
        for (Map.Entry<String, Comparison> e : results.entrySet()) {
            Comparison c = e.getValue();
            table.row(e.getKey(), fmt(c.fineTuned().valAccuracy()), fmt(c.frozen().valAccuracy()),
                    fmt(c.fineTuned().medianEpochSeconds()), fmt(c.frozen().medianEpochSeconds()), fmt(c.epochSecondsRatio()),
                    c.fineTunedTrainable(), c.frozenTrainable());
            fineTuned.add(c.fineTuned().valAccuracy());
            frozen.add(c.frozen().valAccuracy());
        }
        reporter.table(table.build());
        Map<String, List<Double>> bars = new LinkedHashMap<>();
        bars.put(Bert.FINE_TUNED, fineTuned);
        bars.put(Bert.FROZEN, frozen);
        reporter.plot(new BarChart("accuracy-by-encoder.png",
                "bert.compare-pretraining: validation accuracy, linear head on [CLS]",
                "encoder", "accuracy", names, bars));
        reporter.plot(LinePlot.builder("loss.png", "training loss by encoder", "epoch", "cross-entropy")
                .everyLabelSet("trainLoss").build());
        reporter.plot(LinePlot.builder("accuracy.png", "validation accuracy by encoder", "epoch", "accuracy")
                .everyLabelSet("valAccuracy").build());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
