package dlx.clip;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.api.Device;
import dlx.kit.onnx.OrtSessions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * A CLIP model exported to ONNX: either one model ({@code input_ids}, {@code attention_mask},
 * {@code pixel_values} → {@code logits_per_image}, {@code text_embeds}, {@code image_embeds}), as
 * {@code optimum-cli export onnx} writes it, or separate text ({@code input_ids} →
 * {@code text_embeds}) and vision ({@code pixel_values} → {@code image_embeds}) encoders. The
 * layout is detected from the models' declared inputs and outputs. Sessions are opened once
 * and reused; texts and images are encoded in batches; every embedding is L2-normalised.
 */
public final class ClipModel implements AutoCloseable {
    /** The one command that produces a usable folder. */
    public static final String EXPORT_COMMAND =
            "pip install 'optimum[exporters]' && optimum-cli export onnx --model openai/clip-vit-base-patch32 clip-vit-b32/";
    public static final String EXPORT_HELP = "Export a CLIP model to ONNX with: " + EXPORT_COMMAND
            + " (the folder then holds model.onnx, tokenizer.json and preprocessor_config.json)";
    /** CLIP's learned temperature, clamped at 100 in training; used when the model does not carry it. */
    public static final double DEFAULT_LOGIT_SCALE = 100.0;
    private static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "pixel_values", "position_ids");

    public enum Layout {
        /** One model with both towers. */
        SINGLE,
        /** Separate text and vision encoders. */
        DUAL;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a folder holds, without tokenizer or preprocessing: the sessions by role. */
    record Sessions(Layout layout, OrtSessions.Opened single, OrtSessions.Opened text, OrtSessions.Opened vision,
                    List<String> files) { }

    private final Path folder;
    private final Sessions sessions;
    private final ClipTokenizer tokenizer;
    private final ClipPreprocessor preprocessor;
    private final Consumer<String> log;
    private int batchSize = 32;
    private Double logitScale;

    private ClipModel(Path folder, Sessions sessions, ClipTokenizer tokenizer, ClipPreprocessor preprocessor,
                      Consumer<String> log) {
        this.folder = folder;
        this.sessions = sessions;
        this.tokenizer = tokenizer;
        this.preprocessor = preprocessor;
        this.log = log;
    }

    /**
     * Opens the model folder (a path to an .onnx file means its folder). Throws
     * {@link IllegalArgumentException} saying what was found and how to export a usable model
     * when the folder holds no usable CLIP export.
     */
    public static ClipModel open(Path path, Device device, Consumer<String> log) throws IOException, OrtException {
        Path folder = path;
        if (Files.isRegularFile(path)) {
            if (!path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                throw new IllegalArgumentException("CLIP model path " + path + " is a file, not a model folder. " + EXPORT_HELP);
            }
            folder = path.toAbsolutePath().getParent();
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("CLIP model folder " + path + " does not exist. " + EXPORT_HELP);
        }
        Path tokenizerJson = folder.resolve("tokenizer.json");
        Sessions sessions = detect(folder, device, log);
        try {
            if (!Files.isRegularFile(tokenizerJson)) {
                throw new IllegalArgumentException("CLIP model folder " + folder + " holds " + describeLayout(sessions)
                        + " but no tokenizer.json (found " + listing(folder) + "). " + EXPORT_HELP);
            }
            JsonNode config = readJson(folder.resolve("config.json"));
            int context = contextLength(config, readJson(folder.resolve("tokenizer_config.json")), sessions);
            ClipTokenizer tokenizer;
            try {
                tokenizer = ClipTokenizer.load(tokenizerJson, context);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(tokenizerJson + " cannot be loaded by the HuggingFace tokenizers ("
                        + firstLine(e.getMessage()) + "). " + EXPORT_HELP, e);
            }
            ClipPreprocessor.Config pc = Files.isRegularFile(folder.resolve("preprocessor_config.json"))
                    ? ClipPreprocessor.readConfig(folder.resolve("preprocessor_config.json"))
                    : preprocessingFromModel(sessions);
            return new ClipModel(folder, sessions, tokenizer, new ClipPreprocessor(pc), log);
        } catch (IOException | RuntimeException e) {
            closeQuietly(sessions);
            throw e;
        }
    }

    /** The layout of a folder's models; sessions of models that play no role are closed again. */
    static Sessions detect(Path folder, Device device, Consumer<String> log) throws IOException {
        List<Path> candidates = onnxFiles(folder);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("CLIP model folder " + folder + " holds no .onnx model (found "
                    + listing(folder) + "). " + EXPORT_HELP);
        }
        List<String> found = new ArrayList<>();
        OrtSessions.Opened text = null;
        OrtSessions.Opened vision = null;
        String textFile = null;
        String visionFile = null;
        for (Path file : candidates) {
            OrtSessions.Opened opened;
            try {
                opened = OrtSessions.open(file, device, log);
            } catch (OrtException | RuntimeException e) {
                found.add(folder.relativize(file) + ": not a loadable ONNX model (" + firstLine(e.getMessage()) + ")");
                continue;
            }
            String role;
            try {
                role = role(opened.session());
                found.add(folder.relativize(file) + ": inputs " + signature(opened.session().getInputInfo())
                        + ", outputs " + signature(opened.session().getOutputInfo()));
            } catch (OrtException e) {
                role = "";
                found.add(folder.relativize(file) + ": unreadable inputs/outputs (" + firstLine(e.getMessage()) + ")");
            }
            boolean keep = false;
            if (role.equals("single")) {
                closeQuietly(text);
                closeQuietly(vision);
                return new Sessions(Layout.SINGLE, opened, null, null, List.of(folder.relativize(file).toString()));
            } else if (role.equals("text") && text == null) {
                text = opened;
                textFile = folder.relativize(file).toString();
                keep = true;
            } else if (role.equals("vision") && vision == null) {
                vision = opened;
                visionFile = folder.relativize(file).toString();
                keep = true;
            }
            if (!keep) {
                closeQuietly(opened);
            }
            if (text != null && vision != null) {
                return new Sessions(Layout.DUAL, null, text, vision, List.of(textFile, visionFile));
            }
        }
        closeQuietly(text);
        closeQuietly(vision);
        throw new IllegalArgumentException("CLIP model folder " + folder + " holds no usable CLIP export. Needed: one model "
                + "with inputs input_ids, attention_mask, pixel_values and outputs text_embeds, image_embeds "
                + "(logits_per_image), or a text model (input_ids -> text_embeds) plus a vision model "
                + "(pixel_values -> image_embeds), float32. Found: " + String.join("; ", found) + ". " + EXPORT_HELP);
    }

    /** "single", "text", "vision" or "" from the declared inputs and outputs. */
    static String role(OrtSession session) throws OrtException {
        Map<String, NodeInfo> in = session.getInputInfo();
        Set<String> out = session.getOutputNames();
        for (String name : in.keySet()) {
            if (!KNOWN_INPUTS.contains(name)) {
                return "";
            }
        }
        boolean ids = in.containsKey("input_ids") && isIntegral(in.get("input_ids"));
        boolean pixels = in.containsKey("pixel_values") && isType(in.get("pixel_values"), OnnxJavaType.FLOAT);
        if (ids && pixels && out.contains("text_embeds") && out.contains("image_embeds")) {
            return "single";
        }
        if (ids && !in.containsKey("pixel_values") && out.contains("text_embeds")) {
            return "text";
        }
        if (pixels && !in.containsKey("input_ids") && out.contains("image_embeds")) {
            return "vision";
        }
        return "";
    }

    private static boolean isIntegral(NodeInfo info) {
        return isType(info, OnnxJavaType.INT64) || isType(info, OnnxJavaType.INT32);
    }

    private static boolean isType(NodeInfo info, OnnxJavaType type) {
        return info.getInfo() instanceof TensorInfo t && t.type == type;
    }

    static String signature(Map<String, NodeInfo> infos) {
        List<String> parts = new ArrayList<>();
        for (NodeInfo n : infos.values()) {
            ValueInfo v = n.getInfo();
            if (v instanceof TensorInfo t) {
                parts.add(n.getName() + " " + t.type.name().toLowerCase(Locale.ROOT) + java.util.Arrays.toString(t.getShape()));
            } else {
                parts.add(n.getName());
            }
        }
        return "[" + String.join(", ", parts) + "]";
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
        files.sort(Comparator.comparingInt(ClipModel::priority).thenComparing(p -> folder.relativize(p).toString()));
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

    private static String describeLayout(Sessions s) {
        return s.layout() == Layout.SINGLE ? "a single CLIP model (" + s.files().get(0) + ")"
                : "separate text and vision models (" + String.join(", ", s.files()) + ")";
    }

    private static JsonNode readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new ObjectMapper().createObjectNode();
        }
        return new ObjectMapper().readTree(file.toFile());
    }

    /** config.json's text_config.max_position_embeddings, else tokenizer_config.json's model_max_length, else a static input shape, else 77. */
    static int contextLength(JsonNode config, JsonNode tokenizerConfig, Sessions sessions) {
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
        OrtSession textSession = sessions.layout() == Layout.SINGLE ? sessions.single().session() : sessions.text().session();
        long[] shape = shape(textSession, "input_ids");
        if (shape != null && shape.length == 2 && shape[1] > 1) {
            return (int) shape[1];
        }
        return 77;
    }

    /** Without preprocessor_config.json: the static pixel_values size, else CLIP's 224. */
    static ClipPreprocessor.Config preprocessingFromModel(Sessions sessions) {
        OrtSession s = sessions.layout() == Layout.SINGLE ? sessions.single().session() : sessions.vision().session();
        long[] shape = shape(s, "pixel_values");
        if (shape != null && shape.length == 4 && shape[2] > 0 && shape[2] == shape[3]) {
            return ClipPreprocessor.Config.square((int) shape[2]);
        }
        return ClipPreprocessor.Config.clipDefaults();
    }

    private static long[] shape(OrtSession session, String input) {
        try {
            NodeInfo info = session.getInputInfo().get(input);
            return info != null && info.getInfo() instanceof TensorInfo t ? t.getShape() : null;
        } catch (OrtException e) {
            return null;
        }
    }

    public Path folder() {
        return folder;
    }

    public Layout layout() {
        return sessions.layout();
    }

    /** The model files in use, relative to the folder. */
    public List<String> files() {
        return sessions.files();
    }

    /** The execution provider(s) in use, e.g. {@code CPU} or {@code CUDA}. */
    public String provider() {
        Set<String> p = new LinkedHashSet<>();
        for (OrtSessions.Opened o : new OrtSessions.Opened[] {sessions.single(), sessions.text(), sessions.vision()}) {
            if (o != null) {
                p.add(o.provider());
            }
        }
        return String.join("+", p);
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public ClipPreprocessor preprocessor() {
        return preprocessor;
    }

    public int batchSize() {
        return batchSize;
    }

    public ClipModel batchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size " + size + " must be at least 1");
        }
        this.batchSize = size;
        return this;
    }

    /** Fixes the logit scale instead of reading it from the model. */
    public ClipModel logitScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("logit scale " + scale + " must be a positive number");
        }
        this.logitScale = scale;
        return this;
    }

    public String describe() {
        return describeLayout(sessions) + " in " + folder + "; context length " + tokenizer.contextLength()
                + "; preprocessing: " + preprocessor.config();
    }

    /**
     * The factor that turns cosine similarities into logits: given by {@link #logitScale(double)},
     * else read off the single model's {@code logits_per_image} (logit / cosine on a probe pair),
     * else CLIP's trained value 100 (separate encoders do not carry it).
     */
    public double logitScale() throws OrtException {
        if (logitScale == null) {
            if (layout() == Layout.SINGLE) {
                logitScale = probeLogitScale();
                log.accept(String.format(Locale.ROOT, "logit scale %.4f (read off logits_per_image)", logitScale));
            } else {
                logitScale = DEFAULT_LOGIT_SCALE;
                log.accept("logit scale " + DEFAULT_LOGIT_SCALE + " (CLIP's trained value; separate encoders do not carry it)");
            }
        }
        return logitScale;
    }

    private double probeLogitScale() throws OrtException {
        int h = preprocessor.config().outputHeight();
        int w = preprocessor.config().outputWidth();
        float[] pixels = new float[2 * 3 * h * w];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i < pixels.length / 2 ? 0f : (float) r.nextGaussian();
        }
        ClipTokenizer.Batch texts = tokenizer.encode(List.of("a photo", "a photo of a dog", "a diagram"));
        Map<String, float[][]> out = runSingle(texts, pixels, 2, Set.of("logits_per_image", "text_embeds", "image_embeds"));
        float[][] logits = out.get("logits_per_image");
        if (logits == null) {
            log.accept("the model has no logits_per_image output; using CLIP's logit scale " + DEFAULT_LOGIT_SCALE);
            return DEFAULT_LOGIT_SCALE;
        }
        float[][] ti = normalizeRows(out.get("text_embeds"));
        float[][] im = normalizeRows(out.get("image_embeds"));
        double best = 0;
        double scale = DEFAULT_LOGIT_SCALE;
        for (int i = 0; i < im.length; i++) {
            for (int j = 0; j < ti.length; j++) {
                double cos = dot(im[i], ti[j]);
                if (Math.abs(cos) > best) {
                    best = Math.abs(cos);
                    scale = logits[i][j] / cos;
                }
            }
        }
        if (best < 1e-3 || !(scale > 0) || Double.isInfinite(scale)) {
            log.accept("could not read the logit scale off logits_per_image; using CLIP's " + DEFAULT_LOGIT_SCALE);
            return DEFAULT_LOGIT_SCALE;
        }
        return scale;
    }

    /** L2-normalised text embeddings, {@code texts.size() x dim}, encoded in batches. */
    public float[][] encodeTexts(List<String> texts) throws OrtException {
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + batchSize));
            ClipTokenizer.Batch batch = tokenizer.encode(chunk);
            float[][] emb;
            if (layout() == Layout.SINGLE) {
                int h = preprocessor.config().outputHeight();
                int w = preprocessor.config().outputWidth();
                emb = runSingle(batch, new float[3 * h * w], 1, Set.of("text_embeds")).get("text_embeds");
            } else {
                emb = runText(batch);
            }
            for (int i = 0; i < chunk.size(); i++) {
                out[start + i] = normalize(emb[i]);
            }
        }
        return out;
    }

    /** L2-normalised image embeddings of {@code count} images, loaded and preprocessed one batch at a time. */
    public float[][] encodeImages(int count, IntFunction<BufferedImage> images, Consumer<Integer> afterBatch)
            throws OrtException {
        float[][] out = new float[count][];
        int h = preprocessor.config().outputHeight();
        int w = preprocessor.config().outputWidth();
        int per = 3 * h * w;
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            float[] pixels = new float[n * per];
            int first = start;
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
                float[] one = preprocessor.pixelValues(images.apply(first + i));
                System.arraycopy(one, 0, pixels, i * per, per);
            });
            float[][] emb;
            if (layout() == Layout.SINGLE) {
                emb = runSingle(tokenizer.encode(List.of("a photo")), pixels, n, Set.of("image_embeds")).get("image_embeds");
            } else {
                emb = runVision(pixels, n);
            }
            for (int i = 0; i < n; i++) {
                out[start + i] = normalize(emb[i]);
            }
            if (afterBatch != null) {
                afterBatch.accept(n);
            }
        }
        return out;
    }

    /** One list of images (convenience for small sets). */
    public float[][] encodeImages(List<BufferedImage> images) throws OrtException {
        return encodeImages(images.size(), images::get, null);
    }

    private Map<String, float[][]> runSingle(ClipTokenizer.Batch text, float[] pixels, int images, Set<String> wanted)
            throws OrtException {
        OrtSession s = sessions.single().session();
        OrtEnvironment env = OrtSessions.environment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            addTextInputs(env, s, text, inputs);
            addPixels(env, pixels, images, inputs);
            return run(s, inputs, wanted);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[][] runText(ClipTokenizer.Batch text) throws OrtException {
        OrtSession s = sessions.text().session();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            addTextInputs(OrtSessions.environment(), s, text, inputs);
            return run(s, inputs, Set.of("text_embeds")).get("text_embeds");
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[][] runVision(float[] pixels, int images) throws OrtException {
        OrtSession s = sessions.vision().session();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            addPixels(OrtSessions.environment(), pixels, images, inputs);
            return run(s, inputs, Set.of("image_embeds")).get("image_embeds");
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private void addPixels(OrtEnvironment env, float[] pixels, int images, Map<String, OnnxTensor> inputs)
            throws OrtException {
        long h = preprocessor.config().outputHeight();
        long w = preprocessor.config().outputWidth();
        inputs.put("pixel_values", OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {images, 3, h, w}));
    }

    private static void addTextInputs(OrtEnvironment env, OrtSession s, ClipTokenizer.Batch text,
                                      Map<String, OnnxTensor> inputs) throws OrtException {
        Map<String, NodeInfo> declared = s.getInputInfo();
        int n = text.count();
        int len = text.ids()[0].length;
        long[][] positions = new long[n][len];
        for (long[] row : positions) {
            for (int j = 0; j < len; j++) {
                row[j] = j;
            }
        }
        Map<String, long[][]> values = Map.of("input_ids", text.ids(), "attention_mask", text.mask(), "position_ids", positions);
        for (Map.Entry<String, long[][]> e : values.entrySet()) {
            NodeInfo info = declared.get(e.getKey());
            if (info != null) {
                inputs.put(e.getKey(), integerTensor(env, e.getValue(), isType(info, OnnxJavaType.INT32)));
            }
        }
    }

    private static OnnxTensor integerTensor(OrtEnvironment env, long[][] rows, boolean int32) throws OrtException {
        int n = rows.length;
        int len = rows[0].length;
        long[] shape = {n, len};
        if (int32) {
            int[] flat = new int[n * len];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < len; j++) {
                    flat[i * len + j] = (int) rows[i][j];
                }
            }
            return OnnxTensor.createTensor(env, IntBuffer.wrap(flat), shape);
        }
        long[] flat = new long[n * len];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, flat, i * len, len);
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(flat), shape);
    }

    private static Map<String, float[][]> run(OrtSession s, Map<String, OnnxTensor> inputs, Set<String> wanted)
            throws OrtException {
        Set<String> present = new LinkedHashSet<>();
        for (String w : wanted) {
            if (s.getOutputNames().contains(w)) {
                present.add(w);
            }
        }
        Map<String, float[][]> out = new HashMap<>();
        try (OrtSession.Result result = s.run(inputs, present)) {
            for (String name : present) {
                OnnxValue v = result.get(name).orElseThrow();
                if (!(v instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
                    throw new IllegalStateException("model output " + name + " is " + v.getInfo()
                            + "; only float32 outputs are supported (export without --fp16)");
                }
                out.put(name, rows(t));
            }
        }
        return out;
    }

    /** A tensor as {@code shape[0]} rows of everything else (so [B, D] and [B, 1, D] both work). */
    private static float[][] rows(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        FloatBuffer fb = t.getFloatBuffer();
        int total = fb.remaining();
        int n = shape.length == 0 ? 1 : (int) shape[0];
        int dim = n == 0 ? 0 : total / n;
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            fb.get(out[i]);
        }
        return out;
    }

    /** A copy scaled to unit L2 norm; an all-zero vector stays zero. */
    public static float[] normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double norm = Math.sqrt(s);
        float[] out = new float[v.length];
        if (norm == 0 || Double.isNaN(norm)) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    public static float[][] normalizeRows(float[][] m) {
        float[][] out = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = normalize(m[i]);
        }
        return out;
    }

    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different sizes: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Softmax of {@code scale * values}, computed stably. */
    public static double[] softmax(double[] values, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, scale * v);
        }
        double[] p = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            p[i] = Math.exp(scale * values[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    public static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no reason given";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void closeQuietly(OrtSessions.Opened o) {
        if (o != null) {
            try {
                o.close();
            } catch (OrtException ignored) {
                // closing a session that failed is best effort
            }
        }
    }

    private static void closeQuietly(Sessions s) {
        closeQuietly(s.single());
        closeQuietly(s.text());
        closeQuietly(s.vision());
    }

    @Override
    public void close() {
        tokenizer.close();
        closeQuietly(sessions);
    }
}
