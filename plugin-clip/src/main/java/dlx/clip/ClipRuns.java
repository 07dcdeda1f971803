package dlx.clip;

import ai.onnxruntime.OrtException;
import dlx.api.ExperimentSkipped;
import dlx.api.ParamSpec;
import dlx.api.RunContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What both CLIP experiments share: the model parameters, opening the model, caption templates. */
final class ClipRuns {
    static final String MODEL = "model";
    static final String BATCH_SIZE = "batchSize";
    static final String LOGIT_SCALE = "logitScale";
    /** The configuration key {@code clip.model}: system property {@code dlx.clip.model} or {@code DLX_CLIP_MODEL}. */
    static final String MODEL_ENV = "DLX_CLIP_MODEL";
    static final String MODEL_PROPERTY = "dlx.clip.model";

    private ClipRuns() { }

    static ParamSpec.Builder modelParam() {
        return ParamSpec.path(MODEL).help("folder of a CLIP ONNX export (model.onnx, or text and vision models, plus "
                + "tokenizer.json and preprocessor_config.json); default: $" + MODEL_ENV + ". Export one with: "
                + ClipModel.EXPORT_COMMAND);
    }

    static ParamSpec.Builder batchSizeParam() {
        return ParamSpec.integer(BATCH_SIZE, 32).quick(16).range(1, 1024).help("images or texts per ONNX Runtime call");
    }

    static ParamSpec.Builder logitScaleParam() {
        return ParamSpec.string(LOGIT_SCALE, "auto").help("factor on cosine similarities before the softmax: auto "
                + "(read off the single model's logits_per_image; 100, CLIP's trained value, for separate encoders) or a number");
    }

    /** The model folder: the parameter, else the configuration; neither configured means the run is skipped. */
    static Path modelPath(RunContext ctx) {
        Optional<Path> given = ctx.params().path(MODEL);
        if (given.isPresent()) {
            return given.get();
        }
        String configured = System.getProperty(MODEL_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(MODEL_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        throw new ExperimentSkipped("no CLIP model configured. " + ClipModel.EXPORT_HELP
                + "; then --param model=clip-vit-b32 (or set " + MODEL_ENV + "=<folder>)");
    }

    /** Opens the model, applies the batch size and logit scale parameters and records what was found. */
    static ClipModel open(RunContext ctx) throws IOException, OrtException {
        Path path = modelPath(ctx);
        ClipModel model = ClipModel.open(path, ctx.device(), ctx::log);
        try {
            model.batchSize(ctx.params().integer(BATCH_SIZE));
            String scale = ctx.params().string(LOGIT_SCALE).trim();
            if (!scale.equalsIgnoreCase("auto")) {
                double s;
                try {
                    s = Double.parseDouble(scale);
                } catch (NumberFormatException e) {
                    throw new dlx.api.ParamException("parameter '" + LOGIT_SCALE + "' of " + ctx.spec().id() + ": value '"
                            + scale + "' is not allowed; expected auto or a positive number");
                }
                model.logitScale(s);
            }
            ctx.usedDevice("ONNX Runtime " + model.provider());
            ctx.log("CLIP model: " + model.describe());
            ctx.answer("modelLayout", model.layout().id());
            ctx.answer("modelFiles", model.files());
            ctx.answer("contextLength", model.tokenizer().contextLength());
            ctx.answer("imageSize", model.preprocessor().config().outputWidth() + "x" + model.preprocessor().config().outputHeight());
            double logitScale = model.logitScale();
            ctx.metric("logitScale", logitScale);
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

    static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }
}
