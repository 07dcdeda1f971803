package dlx.clip;

import ai.onnxruntime.OrtException;
import dlx.api.Device;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
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
     * when the folder holds no usable CLIP export.
     */
    public static ClipModel open(Path path, Device device, Consumer<String> log) throws IOException {
        ClipFolder folder = ClipFolder.detect(path);
        ClipTokenizer tokenizer;
        try {
            tokenizer = ClipTokenizer.load(folder.tokenizer(), folder.contextLength());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(folder.tokenizer() + " cannot be loaded by the HuggingFace tokenizers ("
                    + ClipFolder.firstLine(e.getMessage()) + "). " + ClipFolder.EXPORT_HELP, e);
        }
        try {
            ClipSessions sessions = ClipSessions.open(folder, device, log, tokenizer.encode(List.of(FILLER_CAPTION)));
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
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + batchSize));
            float[][] emb = sessions.text(tokenizer.encode(chunk));
            for (int i = 0; i < chunk.size(); i++) {
                out[start + i] = Vectors.normalize(emb[i]);
            }
        }
        return out;
    }

    /** L2-normalised image embeddings of {@code count} images, loaded and preprocessed one batch at a time. */
    public float[][] encodeImages(int count, IntFunction<BufferedImage> images, Consumer<Integer> afterBatch)
            throws OrtException {
        float[][] out = new float[count][];
        int per = 3 * preprocessor.config().outputHeight() * preprocessor.config().outputWidth();
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            float[] pixels = new float[n * per];
            int first = start;
            IntStream.range(0, n).parallel().forEach(i -> {
                float[] one = preprocessor.pixelValues(images.apply(first + i));
                System.arraycopy(one, 0, pixels, i * per, per);
            });
            float[][] emb = sessions.images(pixels, n);
            for (int i = 0; i < n; i++) {
                out[start + i] = Vectors.normalize(emb[i]);
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
