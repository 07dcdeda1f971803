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
import dlx.nmt.train.Seeds;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.TrainResult;
import dlx.nmt.train.Training;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code nmt.char-lm}: a character-level decoder-only transformer on tiny Shakespeare (shipped as a
 * resource, 90/10 train/validation), with text sampled before and after training and two studies:
 * context length {2, 16, 64} and number of heads {2, 4, 8}, each value trained as long as the main run
 * with {@code studySeeds} seeds (mean and spread reported), each study run recorded under its labels
 * ({@code valLoss{context=16,seed=43}}, {@code valLoss{heads=4,seed=42}}).
 */
public final class CharLmExperiment implements Experiment {
    static final String RESOURCE = "tinyshakespeare.txt";

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("nmt.char-lm")
                .title("Character-level transformer language model on tiny Shakespeare")
                .description("Decoder-only transformer (sinusoidal positions, causal multi-head attention, MLP blocks, "
                        + "pre-norm) trained with AdamW and cosine decay on tiny Shakespeare (90/10 split). Reports "
                        + "loss curves, ms per step, samples before/after training, and the validation loss over "
                        + "context length and number of heads (each as long as the main run, mean and spread over seeds).")
                .param(ParamSpec.integer("dim", 64).quick(32).range(8, 1024).help("model width"))
                .param(ParamSpec.integer("heads", 4).range(1, 64).help("attention heads of the main run"))
                .param(ParamSpec.integer("layers", 4).quick(2).range(1, 48).help("transformer blocks"))
                .param(ParamSpec.integer("context", 32).range(2, 1024).help("context length of the main run"))
                .param(ParamSpec.integer("batchSize", 16).range(1, 4096).help("windows per batch"))
                .param(ParamSpec.integer("epochs", 10).quick(3).range(1, 10000).help("epochs of the main run"))
                .param(ParamSpec.integer("stepsPerEpoch", 300).quick(40).range(1, 1000000).help("steps per epoch"))
                .param(ParamSpec.decimal("learningRate", 1e-3).quick(3e-3).range(1e-6, 1).help("AdamW peak learning rate"))
                .param(ParamSpec.integer("validationBatches", 20).quick(4).range(1, 10000).help("fixed validation batches"))
                .param(ParamSpec.integer("studyEpochs", 10).quick(2).range(1, 10000)
                        .help("epochs of each study run (default: as the main run)"))
                .param(ParamSpec.integer("studyStepsPerEpoch", 300).quick(20).range(1, 1000000)
                        .help("steps per study epoch (default: as the main run)"))
                .param(ParamSpec.integer("studySeeds", 3).quick(2).range(1, 100)
                        .help("seeds per study value (seed, seed+1, ...): the answers are their mean and spread"))
                .param(ParamSpec.list("contexts", ParamType.INT_LIST, "2,16,64").min(1).help("context lengths studied"))
                .param(ParamSpec.list("headCounts", ParamType.INT_LIST, "2,4,8").min(1).help("head counts studied"))
                .param(ParamSpec.integer("sampleLength", 300).quick(60).range(1, 100000).help("characters sampled"))
                .build();
    }

    /** The shipped corpus. */
    static String text() throws IOException {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The shipped corpus's bytes (read here: a named module's resources are not open to the kit). */
    static byte[] bytes() throws IOException {
        try (InputStream in = NmtPlugin.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource dlx/nmt/" + RESOURCE + " is missing from the plugin jar");
            }
            return in.readAllBytes();
        }
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        var p = request.params();
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        CharCorpus corpus = new CharCorpus(text(), 0.9);
        reporter.dataSource(dlx.kit.data.DataSources.resource("tinyshakespeare", NmtPlugin.class, RESOURCE, bytes()));
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
            var fingerprint = Checkpoints.fingerprint(p, "epochs", "studyEpochs", "studyStepsPerEpoch", "studySeeds",
                    "contexts", "headCounts", "sampleLength");
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

        TrainConfig studyConfig = TrainConfig.of("study", p.integer("studyEpochs"), p.integer("studyStepsPerEpoch"), lr,
                request.seed());
        // Each study run checkpoints under its own name, so an interrupted run resumes within its studies too.
        Map<String, String> studyFingerprint = Checkpoints.fingerprint(p, "epochs", "stepsPerEpoch", "studyEpochs",
                "studySeeds", "contexts", "headCounts", "sampleLength");
        Map<String, String> samples = new LinkedHashMap<>();
        int studySample = Math.min(sampleLength, 100);
        int seeds = p.integer("studySeeds");
        // The context study varies the context at the main run's heads, the heads study the heads at its context.
        for (String study : List.of("context", "heads")) {
            boolean byContext = study.equals("context");
            LinePlot.Builder plot = LinePlot.builder(study + "-study.png", "nmt.char-lm: validation loss by "
                    + (byContext ? "context length" : "number of heads"), "step", "validation cross-entropy (nats)");
            for (int value : p.intList(byContext ? "contexts" : "headCounts")) {
                double[] losses = new double[seeds];
                for (int i = 0; i < seeds; i++) {
                    long seed = request.seed() + i;
                    Labels labels = Labels.of(study, Integer.toString(value), "seed", Long.toString(seed));
                    losses[i] = studyRun(request, reporter, corpus, device, dim, byContext ? p.integer("heads") : value,
                            layers, byContext ? value : context, batch, valBatches,
                            studyConfig.named(study + value + (i == 0 ? "" : "-seed" + seed)).withSeed(seed), labels,
                            i == 0 ? samples : null, studySample, studyFingerprint);
                    reporter.answer(study + "StudyBySeed", labels, losses[i]);
                    plot.series("valLoss", labels, (byContext ? "context " + value : value + " heads") + ", seed " + seed);
                }
                reportStudy(reporter, study + "Study", Labels.of(study, Integer.toString(value)), losses);
            }
            reporter.plot(plot.build());
        }
        reporter.answer("studySamples", samples);
    }

    /**
     * A study value's answers: the mean final validation loss over the seeds under {@code key} and, with
     * two seeds or more, the sample standard deviation under {@code key + "Spread"}.
     */
    private static void reportStudy(RunReporter reporter, String key, Labels labels, double[] losses) {
        double mean = 0;
        for (double l : losses) {
            mean += l / losses.length;
        }
        reporter.answer(key, labels, mean);
        if (losses.length > 1) {
            double ss = 0;
            for (double l : losses) {
                ss += (l - mean) * (l - mean);
            }
            reporter.answer(key + "Spread", labels, Math.sqrt(ss / (losses.length - 1)));
        }
    }

    /**
     * One study run, its model initialised from the run's own seed ({@code cfg.seed()}) and reported under
     * {@code labels}; its sample goes into {@code samples} (when given) under its name.
     */
    private static double studyRun(RunRequest request, RunReporter reporter, CharCorpus corpus, Device device, int dim,
                                   int heads, int layers, int context, int batch, int valBatches, TrainConfig cfg,
                                   Labels labels, Map<String, String> samples, int sampleLength,
                                   Map<String, String> fingerprint) throws Exception {
        Seeds.engine(cfg.seed());
        try (Model model = Model.newInstance("char-lm-" + cfg.name(), device)) {
            DecoderOnlyLm lm = new DecoderOnlyLm(corpus.vocabSize(), dim, heads, layers, context);
            model.setBlock(lm);
            lm.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batch, context));
            TrainResult r = Training.of(model, corpus.batches(context, batch, valBatches, request.seed()), cfg)
                    .report(reporter, labels).checkpoints(Checkpoints.of(request, cfg.name()).fingerprint(fingerprint))
                    .cancellation(request.cancellation()).run();
            if (samples != null) {
                samples.put(cfg.name(), corpus.decode(Generation.sample(lm, model.getNDManager(), corpus.encode("\n"),
                        sampleLength, context, new Random(cfg.seed()), 1.0)));
            }
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
