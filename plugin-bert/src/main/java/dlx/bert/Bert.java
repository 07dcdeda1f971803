package dlx.bert;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtException;
import dlx.api.DataSource;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.data.DataSources;
import dlx.kit.onnx.OrtSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parameters and steps shared by the bert.* experiments. */
final class Bert {
    static final String ENCODER = "encoder";
    static final String ENCODERS = "encoders";
    static final String EMBEDDED = "embedded";
    static final String TWEET_NORMALIZATION = "tweetNormalization";
    /** Label of the encoder training: {@link #FROZEN} or {@link #FINE_TUNED}. */
    static final String TRAINING = "training";
    static final String FROZEN = "frozen";
    static final String FINE_TUNED = "fine-tuned";
    /** Label of the classifier head: {@link Head#name}. */
    static final String HEAD = "head";

    private Bert() { }

    static ParamSpec.Builder encoderParam() {
        return ParamSpec.path(ENCODER).help("encoder folder with model.onnx + tokenizer.json (an optimum ONNX export); "
                + "unset: the embedded all-MiniLM-L6-v2");
    }

    static ParamSpec.Builder encodersParam() {
        return ParamSpec.list(ENCODERS, ParamType.STRING_LIST, EMBEDDED).help("comma-separated encoder folders "
                + "(each with model.onnx + tokenizer.json); '" + EMBEDDED + "' is the built-in all-MiniLM-L6-v2");
    }

    static ParamSpec.Builder headEpochs() {
        return ParamSpec.integer("headEpochs", 150).quick(40).range(1, 10_000)
                .help("epochs of the classifier head on the frozen [CLS] vectors");
    }

    static ParamSpec.Builder headLearningRate() {
        return ParamSpec.decimal("headLearningRate", 1e-3).range(1e-7, 1).help("AdamW learning rate of the head");
    }

    static ParamSpec.Builder hiddenUnits() {
        return ParamSpec.integer("hiddenUnits", 0).range(0, 4096).help("hidden ReLU units of the head; 0 = a linear head on "
                + "[CLS], the head bert.finetune trains, so that frozen and fine-tuned differ in one thing");
    }

    static ParamSpec.Builder standardizeFeatures() {
        return ParamSpec.bool("standardizeFeatures", false).help("standardise the frozen [CLS] vectors with the training "
                + "set's mean and spread before the head (an input scaling the fine-tuned head does not get)");
    }

    static ParamSpec.Builder batchSize() {
        return ParamSpec.integer("batchSize", 32).range(1, 1024).help("training mini-batch size");
    }

    static ParamSpec.Builder weightDecay() {
        return ParamSpec.decimal("weightDecay", 0.01).range(0, 1).help("AdamW decoupled weight decay");
    }

    /** The parameters {@link #headSettings} reads: those of every experiment that trains the frozen-encoder head. */
    static ExperimentSpec.Builder withHeadParams(ExperimentSpec.Builder spec) {
        return spec.param(headEpochs()).param(headLearningRate()).param(hiddenUnits()).param(standardizeFeatures())
                .param(batchSize()).param(weightDecay());
    }

    /**
     * The parameters of fine-tuning ({@link #fineTuneSettings}) and of the frozen head beside it
     * ({@link #frozenSettings}); {@code quickEpochs} fine-tuning epochs in the quick profile.
     */
    static ExperimentSpec.Builder withFineTuneParams(ExperimentSpec.Builder spec, int quickEpochs) {
        return spec.param(ParamSpec.integer("epochs", 6).quick(quickEpochs).range(1, 1000).help("fine-tuning epochs"))
                .param(ParamSpec.decimal("learningRate", 1e-4).range(1e-8, 1).help("AdamW learning rate (encoder and head)"))
                .param(batchSize())
                .param(weightDecay())
                .param(ParamSpec.bool("trainWordEmbeddings", false).help("also train the word-embedding matrix (the task "
                        + "uses a few dozen of its rows; AdamW over all of them is most of a step's cost)"))
                .param(headEpochs())
                .param(headLearningRate());
    }

    static FineTunedModel.Settings fineTuneSettings(RunRequest request, int hiddenUnits) {
        return new FineTunedModel.Settings(request.params().integer("epochs"), request.params().decimal("learningRate"),
                hiddenUnits, request.params().integer("batchSize"), request.params().decimal("weightDecay"),
                request.params().bool("trainWordEmbeddings"), request.seed());
    }

    /** The frozen head beside a fine-tuning: {@code headEpochs} at {@code headLearningRate}, the rest as fine-tuning. */
    static FrozenClassifier.Settings frozenSettings(RunRequest request, int hiddenUnits, boolean standardize) {
        return new FrozenClassifier.Settings(request.params().integer("headEpochs"), request.params().decimal("headLearningRate"),
                hiddenUnits, request.params().integer("batchSize"), request.params().decimal("weightDecay"), standardize,
                request.seed());
    }

    /** A trained model's outcome and how many weights its training updated. */
    record Run(Trained outcome, long trainable) { }

    /**
     * Imports the encoder's weights (checked against ONNX Runtime, {@code importMaxAbsDiff} under
     * {@code importLabels}) and fine-tunes it on the split; reports the model's numbers under {@code labels}.
     */
    static Run fineTune(RunRequest request, RunReporter reporter, NDManager manager, OnnxEncoder encoder, EncoderFolder folder,
                        BertWeights weights, VerbalArithmetic.Split split, FineTunedModel.Settings s, Labels importLabels,
                        Labels labels) throws Exception {
        try (FineTunedModel model = FineTunedModel.createChecked(manager, encoder, folder, weights, s.hiddenUnits(),
                request.seed(), reporter, importLabels)) {
            Trained o = model.train(request, reporter, VerbalArithmetic.texts(split.train()),
                    VerbalArithmetic.labels(split.train()), VerbalArithmetic.texts(split.test()),
                    VerbalArithmetic.labels(split.test()), s, labels);
            report(reporter, labels, o);
            reporter.metric("trainableParameters", labels, model.trainableParameters());
            return new Run(o, model.trainableParameters());
        }
    }

    /** Trains the frozen-encoder head on the split's [CLS] vectors; reports the model's numbers under {@code labels}. */
    static Run frozen(RunRequest request, RunReporter reporter, NDManager manager, Encoded enc, VerbalArithmetic.Split split,
                      FrozenClassifier.Settings s, Labels labels) throws Exception {
        try (FrozenClassifier clf = FrozenClassifier.train(request, reporter, manager, enc.train(),
                VerbalArithmetic.labels(split.train()), enc.test(), VerbalArithmetic.labels(split.test()), s, labels)) {
            report(reporter, labels, clf.outcome());
            reporter.metric("trainableParameters", labels, clf.headParameters());
            return new Run(clf.outcome(), clf.headParameters());
        }
    }

    static FrozenClassifier.Settings headSettings(RunRequest request) {
        return new FrozenClassifier.Settings(request.params().integer("headEpochs"), request.params().decimal("headLearningRate"),
                request.params().integer("hiddenUnits"), request.params().integer("batchSize"),
                request.params().decimal("weightDecay"), request.params().bool("standardizeFeatures"), request.seed());
    }

    /** The encoder folders of a comma-separated list ("embedded" = the built-in one). */
    static List<EncoderFolder> folders(RunRequest request, List<String> entries) {
        List<EncoderFolder> out = new ArrayList<>();
        for (String e : entries) {
            out.add(e.equalsIgnoreCase(EMBEDDED) ? EncoderFolder.embedded(request.data().cacheDir())
                    : EncoderFolder.of(Path.of(e)));
        }
        if (out.isEmpty()) {
            out.add(EncoderFolder.embedded(request.data().cacheDir()));
        }
        return out;
    }

    static ParamSpec.Builder tweetNormalization() {
        return ParamSpec.choice(TWEET_NORMALIZATION, "auto", "auto", "true", "false").help("BERTweet's tweet normalisation "
                + "(@USER, HTTPURL, emoji names) for fastBPE folders; auto: as the folder's tokenizer_config.json says");
    }

    /** Where the encoder came from: extracted from the plugin's jar into the cache, or the folder the user named. */
    static DataSource source(RunRequest request, EncoderFolder folder) {
        List<Path> files = new ArrayList<>(List.of(folder.model(), folder.tokenizer()));
        if (folder.bpeCodes() != null) {
            files.add(folder.bpeCodes());
        }
        DataSource.Origin origin = folder.embedded() ? DataSource.Origin.CACHE
                : DataSources.origin(folder.dir(), request.spec().param(ENCODER).isPresent()
                        ? request.params().path(ENCODER) : java.util.Optional.empty(), request.data());
        return DataSources.files("encoder " + folder.name(), origin, folder.dir(), files);
    }

    static OnnxEncoder open(RunRequest request, RunReporter reporter, EncoderFolder folder, OrtSettings ort)
            throws OrtException, IOException {
        reporter.log("encoder " + folder.name() + " from " + folder.dir() + ", tokenizer " + folder.tokenizerDescription());
        reporter.dataSource(source(request, folder));
        Boolean normalization = null;
        if (request.spec().param(TWEET_NORMALIZATION).isPresent()) {
            String v = request.params().string(TWEET_NORMALIZATION);
            normalization = v.equals("auto") ? null : Boolean.valueOf(v);
        }
        return OnnxEncoder.open(folder, request.device(), ort, reporter::log, normalization);
    }

    /** [CLS] vectors of the split, computed once. */
    record Encoded(float[][] train, float[][] test, double seconds) { }

    static Encoded encode(OnnxEncoder encoder, VerbalArithmetic.Split split) throws OrtException {
        long t0 = System.nanoTime();
        float[][] train = encoder.cls(VerbalArithmetic.texts(split.train()), 64);
        float[][] test = encoder.cls(VerbalArithmetic.texts(split.test()), 64);
        return new Encoded(train, test, (System.nanoTime() - t0) / 1e9);
    }

    /** The labels of one trained model: its encoder and whether the encoder was frozen or fine-tuned. */
    static Labels labels(String encoder, String training) {
        return Labels.of(ENCODER, encoder, TRAINING, training);
    }

    /** Records the numbers every trained model reports, under the model's labels. */
    static void report(RunReporter reporter, Labels labels, Trained t) {
        reporter.metric("valAccuracy", labels, t.valAccuracy());
        reporter.metric("bestValAccuracy", labels, t.bestValAccuracy());
        reporter.metric("finalTrainLoss", labels, t.finalTrainLoss());
        reporter.metric("trainSeconds", labels, t.trainSeconds());
        reporter.metric("epochSeconds", labels, t.medianEpochSeconds());
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** Distinct display names for a list of folders (suffix -2, -3 on repeats). */
    static List<String> names(List<EncoderFolder> folders) {
        List<String> out = new ArrayList<>();
        for (EncoderFolder f : folders) {
            String n = f.name();
            int k = 2;
            while (out.contains(n)) {
                n = f.name() + "-" + k++;
            }
            out.add(n);
        }
        return out;
    }
}
