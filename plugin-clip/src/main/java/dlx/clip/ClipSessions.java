package dlx.clip;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dlx.api.Device;
import dlx.kit.onnx.InputTensors;
import dlx.kit.onnx.OrtSessions;
import dlx.kit.onnx.OrtSettings;
import dlx.kit.onnx.TextInputs;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ONNX Runtime side of a CLIP folder: its sessions, opened once, and the runs that turn
 * token ids and pixel values into (raw) embeddings. A single model takes text and pixels in every
 * run, so a text run gets one blank image and an image run a filler caption.
 */
final class ClipSessions implements AutoCloseable {
    private final ClipFolder folder;
    private final List<OrtSessions.Opened> opened;
    private final TextInputs textInputs;
    private final ClipTokenizer.Batch fillerText;
    private final int height;
    private final int width;

    private ClipSessions(ClipFolder folder, List<OrtSessions.Opened> opened, ClipTokenizer.Batch fillerText)
            throws OrtException {
        this.folder = folder;
        this.opened = opened;
        this.textInputs = TextInputs.of(opened.get(0).session());
        this.fillerText = fillerText;
        this.height = folder.preprocessing().outputHeight();
        this.width = folder.preprocessing().outputWidth();
    }

    /** Opens the folder's models; {@code fillerText} is the caption a single model gets with images. */
    static ClipSessions open(ClipFolder folder, Device device, OrtSettings ort, Consumer<String> log,
            ClipTokenizer.Batch fillerText) {
        List<OrtSessions.Opened> opened = new ArrayList<>();
        try {
            for (int i = 0; i < folder.models().size(); i++) {
                try {
                    opened.add(OrtSessions.open(folder.models().get(i), device, ort, log));
                } catch (OrtException | RuntimeException e) {
                    throw new IllegalArgumentException("ONNX Runtime could not load " + folder.files().get(i) + " of "
                            + folder.dir() + " (" + ClipFolder.firstLine(e.getMessage()) + "). " + ClipFolder.EXPORT_HELP, e);
                }
            }
            return new ClipSessions(folder, opened, fillerText);
        } catch (OrtException e) {
            opened.forEach(ClipSessions::closeQuietly);
            throw new IllegalArgumentException("ONNX Runtime cannot tell the inputs of " + folder.describe() + ": "
                    + ClipFolder.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            opened.forEach(ClipSessions::closeQuietly);
            throw e;
        }
    }

    /** The execution provider(s) in use, e.g. {@code CPU} or {@code CUDA}. */
    String provider() {
        Set<String> p = new LinkedHashSet<>();
        opened.forEach(o -> p.add(o.provider()));
        return String.join("+", p);
    }

    /** One run ready to go: the session, its input tensors (closed with this) and the outputs wanted. */
    record Prepared(OrtSession session, InputTensors inputs, Set<String> outputs) implements AutoCloseable {
        /** The bare ONNX Runtime call (what the benchmark times against the whole path). */
        OrtSession.Result run() throws OrtException {
            return session.run(inputs.map(), outputs);
        }

        @Override
        public void close() {
            inputs.close();
        }
    }

    /** Text embeddings of a batch, one row per text. */
    float[][] text(ClipTokenizer.Batch batch) throws OrtException {
        try (Prepared p = textRun(batch)) {
            return run(p).get(ClipFolder.TEXT_EMBEDS);
        }
    }

    /**
     * Image embeddings of {@code images} preprocessed images ({@code pixels}: [images, 3, height,
     * width] from its position; a direct buffer is read in place, a heap buffer copied).
     */
    float[][] images(FloatBuffer pixels, int images) throws OrtException {
        try (Prepared p = imageRun(pixels, images)) {
            return run(p).get(ClipFolder.IMAGE_EMBEDS);
        }
    }

    /** One run of the single model; of the {@code wanted} outputs, those it has. */
    Map<String, float[][]> single(ClipTokenizer.Batch text, FloatBuffer pixels, int images, Set<String> wanted)
            throws OrtException {
        try (Prepared p = singleRun(text, pixels, images, wanted)) {
            return run(p);
        }
    }

    /** The run {@link #text} makes: a single model also gets one blank image. */
    Prepared textRun(ClipTokenizer.Batch batch) throws OrtException {
        if (folder.layout() == ClipFolder.Layout.SINGLE) {
            return singleRun(batch, FloatBuffer.allocate(3 * height * width), 1, Set.of(ClipFolder.TEXT_EMBEDS));
        }
        OrtSession s = opened.get(0).session();
        return prepared(s, textInputs.tensors(batch.ids(), batch.mask()), Set.of(ClipFolder.TEXT_EMBEDS));
    }

    /** The run {@link #images} makes: a single model also gets the filler caption. */
    Prepared imageRun(FloatBuffer pixels, int images) throws OrtException {
        if (folder.layout() == ClipFolder.Layout.SINGLE) {
            return singleRun(fillerText, pixels, images, Set.of(ClipFolder.IMAGE_EMBEDS));
        }
        InputTensors in = new InputTensors();
        try {
            in.add(ClipFolder.PIXEL_VALUES, pixels(pixels, images));
        } catch (OrtException | RuntimeException e) {
            in.close();
            throw e;
        }
        return prepared(opened.get(1).session(), in, Set.of(ClipFolder.IMAGE_EMBEDS));
    }

    private Prepared singleRun(ClipTokenizer.Batch text, FloatBuffer pixels, int images, Set<String> wanted)
            throws OrtException {
        InputTensors in = textInputs.tensors(text.ids(), text.mask());
        try {
            in.add(ClipFolder.PIXEL_VALUES, pixels(pixels, images));
        } catch (OrtException | RuntimeException e) {
            in.close();
            throw e;
        }
        return prepared(opened.get(0).session(), in, wanted);
    }

    /** Of the {@code wanted} outputs, those the session has. */
    private static Prepared prepared(OrtSession s, InputTensors in, Set<String> wanted) {
        Set<String> present = new LinkedHashSet<>();
        for (String w : wanted) {
            if (s.getOutputNames().contains(w)) {
                present.add(w);
            }
        }
        return new Prepared(s, in, present);
    }

    private OnnxTensor pixels(FloatBuffer pixels, int images) throws OrtException {
        return OnnxTensor.createTensor(OrtSessions.environment(), pixels, new long[] {images, 3, height, width});
    }

    private static Map<String, float[][]> run(Prepared p) throws OrtException {
        Map<String, float[][]> out = new HashMap<>();
        try (OrtSession.Result result = p.run()) {
            for (String name : p.outputs()) {
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

    private static void closeQuietly(OrtSessions.Opened o) {
        try {
            o.close();
        } catch (OrtException ignored) {
            // closing a session is best effort
        }
    }

    @Override
    public void close() {
        opened.forEach(ClipSessions::closeQuietly);
    }
}
