package dlx.clip;

import ai.onnxruntime.OrtException;
import dlx.api.Device;
import dlx.kit.onnx.OrtSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * A CLIP model exported to ONNX, ready to embed texts and images: the folder ({@link ClipFolder}:
 * layout, tokenizer, preprocessing), its sessions ({@link ClipSessions}), the model's own
 * tokenizer and CLIP's preprocessing. Texts and images are encoded in batches; every embedding is
 * L2-normalised ({@link Vectors}).
 */
public final class ClipModel implements AutoCloseable {
    private static final String FILLER_CAPTION = "a photo";

    private final ClipFolder folder;
    private final ClipTokenizer tokenizer;
    private final ClipPreprocessor preprocessor;
    private final ClipSessions sessions;
    private final Consumer<String> log;
    private int batchSize = 32;
    private Double logitScale;
    /** Preprocessing above this per image goes parallel (see {@link #pixels}). */
    private static final long PARALLEL_ABOVE_NANOS = 200_000;
    // One batch of pixel values, reused (a ClipModel encodes one batch at a time): written by the
    // preprocessor, read in place by ONNX Runtime.
    private FloatBuffer buffer;

    private ClipModel(ClipFolder folder, ClipTokenizer tokenizer, ClipSessions sessions, Consumer<String> log) {
        this.folder = folder;
        this.tokenizer = tokenizer;
        this.preprocessor = new ClipPreprocessor(folder.preprocessing());
        this.sessions = sessions;
        this.log = log;
    }

    /**
     * Opens the model folder (a path to an .onnx file means its folder). Throws
     * {@link IllegalArgumentException} saying what was found and how to export a usable model
     * when the folder holds no usable CLIP export. {@code ort}: how its CPU sessions run.
     */
    public static ClipModel open(Path path, Device device, OrtSettings ort, Consumer<String> log) throws IOException {
        ClipFolder folder = ClipFolder.detect(path);
        ClipTokenizer tokenizer;
        try {
            tokenizer = ClipTokenizer.load(folder.tokenizer(), folder.contextLength());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(folder.tokenizer() + " cannot be loaded by the HuggingFace tokenizers ("
                    + ClipFolder.firstLine(e.getMessage()) + "). " + ClipFolder.EXPORT_HELP, e);
        }
        try {
            ClipSessions sessions = ClipSessions.open(folder, device, ort, log, tokenizer.encode(List.of(FILLER_CAPTION)));
            return new ClipModel(folder, tokenizer, sessions, log);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    public Path folder() {
        return folder.dir();
    }

    public ClipFolder.Layout layout() {
        return folder.layout();
    }

    /** The model files in use, relative to the folder. */
    public List<String> files() {
        return folder.files();
    }

    /** The execution provider(s) in use, e.g. {@code CPU} or {@code CUDA}. */
    public String provider() {
        return sessions.provider();
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

    /** The factor that turns cosine similarities into logits: as fixed, else {@link LogitScale#of}. */
    public double logitScale() throws OrtException {
        if (logitScale == null) {
            logitScale = LogitScale.of(folder, sessions, tokenizer, log);
        }
        return logitScale;
    }

    public String describe() {
        return folder.describe() + " in " + folder.dir() + "; context length " + tokenizer.contextLength()
                + "; preprocessing: " + preprocessor.config();
    }

    /** L2-normalised text embeddings, {@code texts.size() x dim}, encoded in batches. */
    public float[][] encodeTexts(List<String> texts) throws OrtException {
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += batchSize) {
            float[][] emb = embedTexts(tokenizer.encode(texts.subList(start, Math.min(texts.size(), start + batchSize))));
            System.arraycopy(emb, 0, out, start, emb.length);
        }
        return out;
    }

    /** L2-normalised embeddings of one tokenised batch (what {@link #encodeTexts} does after tokenising). */
    float[][] embedTexts(ClipTokenizer.Batch batch) throws OrtException {
        return normalized(sessions.text(batch));
    }

    /** L2-normalised embeddings of one preprocessed batch (what {@link #encodeImages} does after preprocessing). */
    float[][] embedImages(FloatBuffer pixels) throws OrtException {
        return normalized(sessions.images(pixels, pixels.remaining() / pixelsPerImage()));
    }

    private int pixelsPerImage() {
        return 3 * preprocessor.config().outputHeight() * preprocessor.config().outputWidth();
    }

    /** The rows (fresh arrays from {@link ClipSessions}) scaled to unit length in place. */
    private static float[][] normalized(float[][] rows) {
        for (float[] row : rows) {
            Vectors.normalizeInPlace(row);
        }
        return rows;
    }

    /**
     * L2-normalised image embeddings of {@code count} images, loaded and preprocessed one batch at a
     * time into one reused direct buffer, which ONNX Runtime reads in place.
     */
    public float[][] encodeImages(int count, IntFunction<ClipPreprocessor.Rgb> images, Consumer<Integer> afterBatch)
            throws OrtException {
        float[][] out = new float[count][];
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            float[][] emb = embedImages(pixels(start, n, images));
            System.arraycopy(emb, 0, out, start, n);
            if (afterBatch != null) {
                afterBatch.accept(n);
            }
        }
        return out;
    }

    /**
     * {@code pixel_values} of images {@code start .. start+n) in the reused buffer. The first image is
     * preprocessed here; the others too when it was quick (a small image at the model's size), else in
     * parallel: handing work to other threads costs up to a millisecond while ONNX Runtime's threads
     * spin between runs, far more than preprocessing a 28 px image, far less than decoding and
     * resizing a photo.
     */
    private FloatBuffer pixels(int start, int n, IntFunction<ClipPreprocessor.Rgb> images) {
        int per = pixelsPerImage();
        if (buffer == null || buffer.capacity() < n * per) {
            buffer = ByteBuffer.allocateDirect(Math.max(batchSize, n) * per * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        FloatBuffer px = buffer;
        long t0 = System.nanoTime();
        preprocessor.pixelValues(images.apply(start), px, 0);
        IntStream rest = IntStream.range(1, n);
        if (System.nanoTime() - t0 > PARALLEL_ABOVE_NANOS) {
            rest = rest.parallel();
        }
        rest.forEach(i -> preprocessor.pixelValues(images.apply(start + i), px, i * per));
        return buffer.duplicate().position(0).limit(n * per);
    }

    /** The preprocessed batches {@link #encodeImages} makes, each in its own direct buffer (for the benchmark). */
    List<FloatBuffer> preprocessImages(int count, IntFunction<ClipPreprocessor.Rgb> images) {
        List<FloatBuffer> batches = new ArrayList<>();
        for (int start = 0; start < count; start += batchSize) {
            FloatBuffer batch = pixels(start, Math.min(batchSize, count - start), images);
            FloatBuffer copy = ByteBuffer.allocateDirect(batch.remaining() * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            batches.add(copy.put(batch).flip());
        }
        return batches;
    }

    /** The tokenised batches {@link #encodeTexts} makes (for the benchmark). */
    List<ClipTokenizer.Batch> tokenizeTexts(List<String> texts) {
        List<ClipTokenizer.Batch> batches = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += batchSize) {
            batches.add(tokenizer.encode(texts.subList(start, Math.min(texts.size(), start + batchSize))));
        }
        return batches;
    }

    /** ONNX Runtime's runs of these batches, inputs made, ready to go (the benchmark's bare loop). */
    List<ClipSessions.Prepared> imageRuns(List<FloatBuffer> batches) throws OrtException {
        List<ClipSessions.Prepared> runs = new ArrayList<>();
        for (FloatBuffer b : batches) {
            runs.add(sessions.imageRun(b.duplicate(), b.remaining() / pixelsPerImage()));
        }
        return runs;
    }

    List<ClipSessions.Prepared> textRuns(List<ClipTokenizer.Batch> batches) throws OrtException {
        List<ClipSessions.Prepared> runs = new ArrayList<>();
        for (ClipTokenizer.Batch b : batches) {
            runs.add(sessions.textRun(b));
        }
        return runs;
    }

    /** One list of images (convenience for small sets). */
    public float[][] encodeImages(List<BufferedImage> images) throws OrtException {
        return encodeImages(images.size(), i -> ClipPreprocessor.toRgb(images.get(i)), null);
    }

    @Override
    public void close() {
        try {
            sessions.close();
        } finally {
            tokenizer.close();
        }
    }

    /** The folder and the files this model reads (its ONNX models and tokenizer), for the run's data sources. */
    java.nio.file.Path dir() {
        return folder.dir();
    }

    java.util.List<java.nio.file.Path> usedFiles() {
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>(folder.models());
        files.add(folder.tokenizer());
        return files;
    }
}
