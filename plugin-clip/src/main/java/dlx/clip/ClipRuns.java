package dlx.clip;

import ai.onnxruntime.OrtException;
import dlx.api.Configuration;
import dlx.api.DataSource;
import dlx.api.ParamException;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.data.DataSources;
import dlx.kit.onnx.OrtSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** What both CLIP experiments share: the model parameters, opening the model, caption templates. */
final class ClipRuns {
    static final String MODEL = "model";
    static final String BATCH_SIZE = "batchSize";
    static final String LOGIT_SCALE = "logitScale";
    /** The configuration key of the default model folder (system property {@code dlx.clip.model}, or {@code DLX_CLIP_MODEL}). */
    static final String MODEL_KEY = "clip.model";

    private ClipRuns() { }

    static ParamSpec.Builder modelParam() {
        return ParamSpec.path(MODEL).help("folder of a CLIP ONNX export (model.onnx, or text and vision models, plus "
                + "tokenizer.json and preprocessor_config.json); default: the configuration's " + MODEL_KEY
                + " (DLX_CLIP_MODEL), else the embedded " + EmbeddedClip.NAME + " (trained on Fashion-MNIST). "
                + "Export a real CLIP with: " + ClipFolder.EXPORT_COMMAND);
    }

    static ParamSpec.Builder batchSizeParam() {
        return ParamSpec.integer(BATCH_SIZE, 32).quick(16).range(1, 1024).help("images or texts per ONNX Runtime call");
    }

    static ParamSpec.Builder logitScaleParam() {
        return ParamSpec.string(LOGIT_SCALE, "auto").help("factor on cosine similarities before the softmax: auto "
                + "(read off the single model's logits_per_image; 100, CLIP's trained value, for separate encoders) or a number");
    }

    /**
     * The model folder: the parameter, else the configuration, else the embedded
     * {@value EmbeddedClip#NAME} (extracted into the cache and verified).
     */
    static Path modelPath(RunRequest request, Configuration configuration) {
        Optional<Path> given = request.params().path(MODEL);
        if (given.isPresent()) {
            return given.get();
        }
        Optional<String> configured = configured(configuration);
        if (configured.isPresent()) {
            return Path.of(configured.get().trim());
        }
        return EmbeddedClip.folder(request.data().cacheDir());
    }

    private static Optional<String> configured(Configuration configuration) {
        return configuration.get(MODEL_KEY).filter(v -> !v.isBlank());
    }

    /** Opens the model, applies the batch size and logit scale parameters and records what was found. */
    static ClipModel open(RunRequest request, RunReporter reporter, Configuration configuration)
            throws IOException, OrtException {
        Path path = modelPath(request, configuration);
        boolean embedded = request.params().path(MODEL).isEmpty() && configured(configuration).isEmpty();
        ClipModel model = ClipModel.open(path, request.device(), OrtSettings.from(configuration), reporter::log);
        try {
            model.batchSize(request.params().integer(BATCH_SIZE));
            String scale = request.params().string(LOGIT_SCALE).trim();
            if (!scale.equalsIgnoreCase("auto")) {
                double s;
                try {
                    s = Double.parseDouble(scale);
                } catch (NumberFormatException e) {
                    throw new ParamException("parameter '" + LOGIT_SCALE + "' of " + request.spec().id() + ": value '"
                            + scale + "' is not allowed; expected auto or a positive number");
                }
                model.logitScale(s);
            }
            reporter.usedDevice("ONNX Runtime " + model.provider());
            // the embedded model is extracted from the plugin's jar into the cache and checked there
            DataSource.Origin origin = embedded ? DataSource.Origin.CACHE
                    : request.params().path(MODEL).isPresent() ? DataSource.Origin.PARAMETER : DataSource.Origin.CONFIGURATION;
            reporter.dataSource(DataSources.files("clip-model", origin, model.dir(), model.usedFiles()));
            reporter.log("CLIP model: " + model.describe());
            reporter.answer("model", embedded ? "embedded " + EmbeddedClip.NAME : path.toString());
            reporter.answer("modelLayout", model.layout().id());
            reporter.answer("modelFiles", model.files());
            reporter.answer("contextLength", model.tokenizer().contextLength());
            reporter.answer("imageSize", model.preprocessor().config().outputWidth() + "x"
                    + model.preprocessor().config().outputHeight());
            reporter.metric("logitScale", model.logitScale());
            return model;
        } catch (RuntimeException | OrtException e) {
            model.close();
            throw e;
        }
    }

    /** A caption from a template: {@code {class}}, {@code {word}} and {@code {}} are replaced; a template without any gets the word appended. */
    static String fill(String template, String word) {
        if (template.contains("{class}") || template.contains("{word}") || template.contains("{}")) {
            return template.replace("{class}", word).replace("{word}", word).replace("{}", word);
        }
        return template.strip() + " " + word;
    }
}
