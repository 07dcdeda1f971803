package dlx.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.kit.onnx.OnnxModelFile;
import dlx.kit.onnx.TextInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a CLIP model folder holds, found from the files alone: the kit's {@link OnnxModelFile}
 * reads each {@code .onnx} file's declared inputs and outputs (no session is opened, no weight
 * read), which give the layout: one model with both towers ({@code input_ids},
 * {@code attention_mask}, {@code pixel_values} → {@code text_embeds}, {@code image_embeds},
 * {@code logits_per_image}), as {@code optimum-cli export onnx} writes it, or separate text
 * ({@code input_ids} → {@code text_embeds}) and vision ({@code pixel_values} →
 * {@code image_embeds}) encoders. Also the tokenizer, the context length and the preprocessing.
 *
 * @param models          the model files by role: the single model, or the text then the vision model
 * @param files           the same, relative to {@code dir}
 * @param configLogitScale config.json's {@code logit_scale} (dlx's key for the trained exp(logit scale) of
 *                        separate towers, which do not carry it), else null
 */
record ClipFolder(Path dir, Layout layout, List<Path> models, List<String> files, Path tokenizer, int contextLength,
                  ClipPreprocessor.Config preprocessing, Double configLogitScale) {
    /** The one command that produces a usable folder. */
    static final String EXPORT_COMMAND =
            "pip install 'optimum[exporters]' && optimum-cli export onnx --model openai/clip-vit-base-patch32 clip-vit-b32/";
    static final String EXPORT_HELP = "Export a CLIP model to ONNX with: " + EXPORT_COMMAND
            + " (the folder then holds model.onnx, tokenizer.json and preprocessor_config.json)";
    static final String PIXEL_VALUES = "pixel_values";
    static final String TEXT_EMBEDS = "text_embeds";
    static final String IMAGE_EMBEDS = "image_embeds";
    static final String LOGITS_PER_IMAGE = "logits_per_image";
    private static final int DEFAULT_CONTEXT_LENGTH = 77;

    enum Layout {
        /** One model with both towers. */
        SINGLE,
        /** Separate text and vision encoders. */
        DUAL;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one model file can do, from its declared inputs and outputs. */
    enum Role { SINGLE, TEXT, VISION, NONE }

    /**
     * Reads the folder (a path to an .onnx file means its folder). Throws
     * {@link IllegalArgumentException} saying what was found and how to export a usable model
     * when the folder holds no usable CLIP export.
     */
    static ClipFolder detect(Path path) throws IOException {
        Path dir = path;
        if (Files.isRegularFile(path)) {
            if (!path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                throw new IllegalArgumentException("CLIP model path " + path + " is a file, not a model folder. " + EXPORT_HELP);
            }
            dir = path.toAbsolutePath().getParent();
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("CLIP model folder " + path + " does not exist. " + EXPORT_HELP);
        }
        List<Path> candidates = onnxFiles(dir);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("CLIP model folder " + dir + " holds no .onnx model (found "
                    + listing(dir) + "). " + EXPORT_HELP);
        }
        List<String> found = new ArrayList<>();
        Path text = null;
        Path vision = null;
        OnnxModelFile textSignature = null;
        OnnxModelFile visionSignature = null;
        for (Path file : candidates) {
            OnnxModelFile signature;
            try {
                signature = OnnxModelFile.readSignature(file);
            } catch (IOException | RuntimeException e) {
                found.add(dir.relativize(file) + ": not a loadable ONNX model (" + firstLine(e.getMessage()) + ")");
                continue;
            }
            found.add(dir.relativize(file) + ": inputs " + signature.inputs() + ", outputs " + signature.outputs());
            Role role = role(signature);
            if (role == Role.SINGLE) {
                return complete(dir, Layout.SINGLE, List.of(file), signature, signature);
            } else if (role == Role.TEXT && text == null) {
                text = file;
                textSignature = signature;
            } else if (role == Role.VISION && vision == null) {
                vision = file;
                visionSignature = signature;
            }
            if (text != null && vision != null) {
                return complete(dir, Layout.DUAL, List.of(text, vision), textSignature, visionSignature);
            }
        }
        throw new IllegalArgumentException("CLIP model folder " + dir + " holds no usable CLIP export. Needed: one model "
                + "with inputs input_ids, attention_mask, pixel_values and outputs text_embeds, image_embeds "
                + "(logits_per_image), or a text model (input_ids -> text_embeds) plus a vision model "
                + "(pixel_values -> image_embeds), float32. Found: " + String.join("; ", found) + ". " + EXPORT_HELP);
    }

    /** The tokenizer, context length and preprocessing of a folder whose models were found. */
    private static ClipFolder complete(Path dir, Layout layout, List<Path> models, OnnxModelFile text, OnnxModelFile vision)
            throws IOException {
        List<String> files = models.stream().map(m -> dir.relativize(m).toString()).toList();
        Path tokenizer = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("CLIP model folder " + dir + " holds " + describe(layout, files)
                    + " but no tokenizer.json (found " + listing(dir) + "). " + EXPORT_HELP);
        }
        JsonNode config = readJson(dir.resolve("config.json"));
        int context = contextLength(config, readJson(dir.resolve("tokenizer_config.json")), shape(text, TextInputs.INPUT_IDS));
        JsonNode scale = config.path("logit_scale");
        Double logitScale = scale.isNumber() && scale.asDouble() > 0 && Double.isFinite(scale.asDouble()) ? scale.asDouble() : null;
        Path preprocessorConfig = dir.resolve("preprocessor_config.json");
        ClipPreprocessor.Config preprocessing = Files.isRegularFile(preprocessorConfig)
                ? ClipPreprocessor.readConfig(preprocessorConfig) : preprocessingFromModel(shape(vision, PIXEL_VALUES));
        return new ClipFolder(dir, layout, models, files, tokenizer, context, preprocessing, logitScale);
    }

    /** The role of a model from its declared inputs and outputs. */
    static Role role(OnnxModelFile signature) {
        Set<String> in = new HashSet<>();
        boolean ids = false;
        boolean pixels = false;
        for (OnnxModelFile.ValueInfo v : signature.inputs()) {
            if (!TextInputs.NAMES.contains(v.name()) && !v.name().equals(PIXEL_VALUES)) {
                return Role.NONE;
            }
            in.add(v.name());
            ids |= v.name().equals(TextInputs.INPUT_IDS) && (v.elemType() == OnnxModelFile.INT64 || v.elemType() == OnnxModelFile.INT32);
            pixels |= v.name().equals(PIXEL_VALUES) && v.elemType() == OnnxModelFile.FLOAT;
        }
        Set<String> out = new HashSet<>();
        signature.outputs().forEach(v -> out.add(v.name()));
        if (ids && pixels && out.contains(TEXT_EMBEDS) && out.contains(IMAGE_EMBEDS)) {
            return Role.SINGLE;
        }
        if (ids && !in.contains(PIXEL_VALUES) && out.contains(TEXT_EMBEDS)) {
            return Role.TEXT;
        }
        if (pixels && !in.contains(TextInputs.INPUT_IDS) && out.contains(IMAGE_EMBEDS)) {
            return Role.VISION;
        }
        return Role.NONE;
    }

    /** "a single CLIP model (model.onnx)" or "separate text and vision models (...)". */
    String describe() {
        return describe(layout, files);
    }

    private static String describe(Layout layout, List<String> files) {
        return layout == Layout.SINGLE ? "a single CLIP model (" + files.get(0) + ")"
                : "separate text and vision models (" + String.join(", ", files) + ")";
    }

    /** .onnx files of the folder and of its onnx/ subfolder: model.onnx first, quantised and fp16 variants last. */
    static List<Path> onnxFiles(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(folder, folder.resolve("onnx"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx") && Files.isRegularFile(p))
                        .forEach(files::add);
            }
        }
        files.sort(Comparator.comparingInt(ClipFolder::priority).thenComparing(p -> folder.relativize(p).toString()));
        return files;
    }

    private static int priority(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.contains("quant") || n.contains("fp16") || n.contains("int8") || n.contains("uint8") || n.contains("q4")
                || n.contains("bnb")) {
            return 3;
        }
        if (n.equals("model.onnx")) {
            return 0;
        }
        return n.contains("text") || n.contains("vision") ? 1 : 2;
    }

    private static String listing(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            TreeSet<String> names = new TreeSet<>();
            s.forEach(p -> names.add(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
            if (names.isEmpty()) {
                return "nothing";
            }
            List<String> shown = names.stream().limit(12).toList();
            return String.join(", ", shown) + (names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "");
        } catch (IOException e) {
            return "an unreadable folder";
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new ObjectMapper().createObjectNode();
        }
        return new ObjectMapper().readTree(file.toFile());
    }

    /**
     * config.json's text_config.max_position_embeddings, else tokenizer_config.json's
     * model_max_length, else the static length of {@code input_ids}, else 77.
     */
    static int contextLength(JsonNode config, JsonNode tokenizerConfig, long[] idsShape) {
        JsonNode n = config.path("text_config").path("max_position_embeddings");
        if (n.isInt() && n.asInt() > 1) {
            return n.asInt();
        }
        n = config.path("max_position_embeddings");
        if (n.isInt() && n.asInt() > 1) {
            return n.asInt();
        }
        n = tokenizerConfig.path("model_max_length");
        if (n.isNumber() && n.asLong() > 1 && n.asLong() <= 4096) {
            return n.asInt();
        }
        if (idsShape != null && idsShape.length == 2 && idsShape[1] > 1) {
            return (int) idsShape[1];
        }
        return DEFAULT_CONTEXT_LENGTH;
    }

    /** Without preprocessor_config.json: the static square size of {@code pixel_values}, else CLIP's 224. */
    static ClipPreprocessor.Config preprocessingFromModel(long[] pixelShape) {
        if (pixelShape != null && pixelShape.length == 4 && pixelShape[2] > 0 && pixelShape[2] == pixelShape[3]) {
            return ClipPreprocessor.Config.square((int) pixelShape[2]);
        }
        return ClipPreprocessor.Config.clipDefaults();
    }

    private static long[] shape(OnnxModelFile signature, String input) {
        return signature.inputs().stream().filter(v -> v.name().equals(input)).map(OnnxModelFile.ValueInfo::shape)
                .findFirst().orElse(null);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no reason given";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
