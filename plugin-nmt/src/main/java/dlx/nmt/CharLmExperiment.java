package dlx.nmt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamType;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.train.Checkpoints;
import dlx.nmt.data.CharCorpus;
import dlx.nmt.model.DecoderOnlyLm;
import dlx.nmt.model.Generation;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.TrainResult;
import dlx.nmt.train.Training;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * {@code nmt.char-lm}: a character-level decoder-only transformer on tiny Shakespeare (shipped as a
 * resource, 90/10 train/validation), with text sampled before and after training and two studies:
 * context length {2, 16, 64} and number of heads {2, 4, 8}, each study run recorded under its label
 * ({@code valLoss{context=16}}, {@code valLoss{heads=4}}).
 */
public final class CharLmExperiment implements Experiment {
    static final String RESOURCE = "tinyshakespeare.txt";

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("nmt.char-lm")
                .title("Character-level transformer language model on tiny Shakespeare")
                .description("Decoder-only transformer (sinusoidal positions, causal multi-head attention, MLP blocks, "
                        + "pre-norm) trained with AdamW and cosine decay on tiny Shakespeare (90/10 split). Reports "
                        + "loss curves, ms per step, samples before/after training, and the validation loss of "
                        + "shorter runs over context length and number of heads.")
                .param(ParamSpec.integer("dim", 64).quick(32).range(8, 1024).help("model width"))
                .param(ParamSpec.integer("heads", 4).range(1, 64).help("attention heads of the main run"))
                .param(ParamSpec.integer("layers", 4).quick(2).range(1, 48).help("transformer blocks"))
                .param(ParamSpec.integer("context", 32).range(2, 1024).help("context length of the main run"))
                .param(ParamSpec.integer("batchSize", 16).range(1, 4096).help("windows per batch"))
                .param(ParamSpec.integer("epochs", 10).quick(3).range(1, 10000).help("epochs of the main run"))
                .param(ParamSpec.integer("stepsPerEpoch", 300).quick(40).range(1, 1000000).help("steps per epoch"))
                .param(ParamSpec.decimal("learningRate", 1e-3).quick(3e-3).range(1e-6, 1).help("AdamW peak learning rate"))
                .param(ParamSpec.integer("validationBatches", 20).quick(4).range(1, 10000).help("fixed validation batches"))
                .param(ParamSpec.integer("studyEpochs", 4).quick(2).range(1, 10000).help("epochs of each study run"))
                .param(ParamSpec.integer("studyStepsPerEpoch", 250).quick(20).range(1, 1000000).help("steps per study epoch"))
                .param(ParamSpec.list("contexts", ParamType.INT_LIST, "2,16,64").min(1).help("context lengths studied"))
                .param(ParamSpec.list("headCounts", ParamType.INT_LIST, "2,4,8").min(1).help("head counts studied"))
                .param(ParamSpec.integer("sampleLength", 300).quick(60).range(1, 100000).help("characters sampled"))
                .build();
    }

    /** The shipped corpus. */
    static String text() throws IOException {
        try (InputStream in = NmtPlugin.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource dlx/nmt/" + RESOURCE + " is missing from the plugin jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        var p = request.params();
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        CharCorpus corpus = new CharCorpus(text(), 0.9);
        reporter.metric("vocabSize", corpus.vocabSize());
        reporter.metric("trainCharacters", corpus.trainLength());
        reporter.metric("validationCharacters", corpus.validationLength());
        int dim = p.integer("dim");
        int layers = p.integer("layers");
        int batch = p.integer("batchSize");
        int valBatches = p.integer("validationBatches");
        float lr = (float) p.decimal("learningRate");
        int sampleLength = p.integer("sampleLength");
        int[] prompt = corpus.encode("\n");

        int context = p.integer("context");
        try (Model model = Model.newInstance("char-lm", device)) {
            DecoderOnlyLm lm = new DecoderOnlyLm(corpus.vocabSize(), dim, p.integer("heads"), layers, context);
            model.setBlock(lm);
            lm.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batch, context));
            reporter.metric("parameters", parameterCount(model));
            String before = corpus.decode(Generation.sample(lm, model.getNDManager(), prompt, sampleLength, context,
                    new Random(request.seed()), 1.0));
            TrainConfig cfg = TrainConfig.of("train", p.integer("epochs"), p.integer("stepsPerEpoch"), lr, request.seed());
            // The main run's parameters; epochs may grow on resume, the studies and samples come after it.
            var fingerprint = Checkpoints.fingerprint(p, "epochs", "studyEpochs", "studyStepsPerEpoch", "contexts",
                    "headCounts", "sampleLength");
            TrainResult r = Training.of(model, corpus.batches(context, batch, valBatches, request.seed()), cfg)
                    .report(reporter, Labels.NONE).checkpoints(Checkpoints.of(request, "train").fingerprint(fingerprint))
                    .cancellation(request.cancellation()).run();
            String after = corpus.decode(Generation.sample(lm, model.getNDManager(), prompt, sampleLength, context,
                    new Random(request.seed()), 1.0));
            reporter.answer("finalValLoss", r.finalValLoss());
            reporter.answer("msPerStep", r.msPerStep());
            reporter.answer("sampleBefore", before);
            reporter.answer("sampleAfter", after);
            reporter.metric("initialValLoss", r.initialValLoss());
            reporter.metric("finalValLoss", r.finalValLoss());
            reporter.metric("bestValLoss", r.bestValLoss());
            reporter.plot(Training.lossPlot("loss.png", "nmt.char-lm: " + dim + "-d, " + layers + " layers, context " + context));
            reporter.log(String.format("main run: val loss %.3f -> %.3f, %.1f ms/step", r.initialValLoss(),
                    r.finalValLoss(), r.msPerStep()));
        }

        TrainConfig study = TrainConfig.of("study", p.integer("studyEpochs"), p.integer("studyStepsPerEpoch"), lr,
                request.seed());
        Map<String, String> samples = new LinkedHashMap<>();
        int studySample = Math.min(sampleLength, 100);
        LinePlot.Builder contextPlot = LinePlot.builder("context-study.png",
                "nmt.char-lm: validation loss by context length", "step", "validation cross-entropy (nats)");
        for (int c : p.intList("contexts")) {
            Labels labels = Labels.of("context", Integer.toString(c));
            double loss = studyRun(request, reporter, corpus, device, dim, p.integer("heads"), layers, c, batch,
                    valBatches, study.named("context" + c), labels, samples, studySample);
            reporter.answer("contextStudy", labels, loss);
            contextPlot.series("valLoss", labels, "context " + c);
        }
        LinePlot.Builder headsPlot = LinePlot.builder("heads-study.png",
                "nmt.char-lm: validation loss by number of heads", "step", "validation cross-entropy (nats)");
        for (int h : p.intList("headCounts")) {
            Labels labels = Labels.of("heads", Integer.toString(h));
            double loss = studyRun(request, reporter, corpus, device, dim, h, layers, context, batch, valBatches,
                    study.named("heads" + h), labels, samples, studySample);
            reporter.answer("headsStudy", labels, loss);
            headsPlot.series("valLoss", labels, h + " heads");
        }
        reporter.answer("studySamples", samples);
        reporter.plot(contextPlot.build());
        reporter.plot(headsPlot.build());
    }

    /** One study run, reported under {@code labels}; its sample goes into {@code samples} under its name. */
    private static double studyRun(RunRequest request, RunReporter reporter, CharCorpus corpus, Device device, int dim,
                                   int heads, int layers, int context, int batch, int valBatches, TrainConfig cfg,
                                   Labels labels, Map<String, String> samples, int sampleLength) throws Exception {
        try (Model model = Model.newInstance("char-lm-" + cfg.name(), device)) {
            DecoderOnlyLm lm = new DecoderOnlyLm(corpus.vocabSize(), dim, heads, layers, context);
            model.setBlock(lm);
            lm.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batch, context));
            TrainResult r = Training.of(model, corpus.batches(context, batch, valBatches, request.seed()), cfg)
                    .report(reporter, labels).cancellation(request.cancellation()).run();
            samples.put(cfg.name(), corpus.decode(Generation.sample(lm, model.getNDManager(), corpus.encode("\n"),
                    sampleLength, context, new Random(request.seed()), 1.0)));
            reporter.metric("finalValLoss", labels, r.finalValLoss());
            reporter.log(String.format("%s: val loss %.3f, %.1f ms/step", cfg.name(), r.finalValLoss(), r.msPerStep()));
            return r.finalValLoss();
        }
    }

    static long parameterCount(Model model) {
        long n = 0;
        for (var pair : model.getBlock().getParameters()) {
            n += pair.getValue().getArray().size();
        }
        return n;
    }
}
