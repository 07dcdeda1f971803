package dlx.clip;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dlx.api.Device;
import dlx.kit.onnx.InputTensors;
import dlx.kit.onnx.OrtSessions;
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
    static ClipSessions open(ClipFolder folder, Device device, Consumer<String> log, ClipTokenizer.Batch fillerText) {
        List<OrtSessions.Opened> opened = new ArrayList<>();
        try {
            for (int i = 0; i < folder.models().size(); i++) {
                try {
                    opened.add(OrtSessions.open(folder.models().get(i), device, log));
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

    /** Text embeddings of a batch, one row per text. */
    float[][] text(ClipTokenizer.Batch batch) throws OrtException {
        if (folder.layout() == ClipFolder.Layout.SINGLE) {
            return single(batch, new float[3 * height * width], 1, Set.of(ClipFolder.TEXT_EMBEDS)).get(ClipFolder.TEXT_EMBEDS);
        }
        OrtSession s = opened.get(0).session();
        try (InputTensors in = textInputs.tensors(batch.ids(), batch.mask())) {
            return run(s, in, Set.of(ClipFolder.TEXT_EMBEDS)).get(ClipFolder.TEXT_EMBEDS);
        }
    }

    /** Image embeddings of {@code images} preprocessed images ({@code pixels}: [images, 3, height, width]). */
    float[][] images(float[] pixels, int images) throws OrtException {
        if (folder.layout() == ClipFolder.Layout.SINGLE) {
            return single(fillerText, pixels, images, Set.of(ClipFolder.IMAGE_EMBEDS)).get(ClipFolder.IMAGE_EMBEDS);
        }
        OrtSession s = opened.get(1).session();
        try (InputTensors in = new InputTensors().add(ClipFolder.PIXEL_VALUES, pixels(pixels, images))) {
            return run(s, in, Set.of(ClipFolder.IMAGE_EMBEDS)).get(ClipFolder.IMAGE_EMBEDS);
        }
    }

    /** One run of the single model; of the {@code wanted} outputs, those it has. */
    Map<String, float[][]> single(ClipTokenizer.Batch text, float[] pixels, int images, Set<String> wanted)
            throws OrtException {
        OrtSession s = opened.get(0).session();
        try (InputTensors in = textInputs.tensors(text.ids(), text.mask())) {
            in.add(ClipFolder.PIXEL_VALUES, pixels(pixels, images));
            return run(s, in, wanted);
        }
    }

    private OnnxTensor pixels(float[] pixels, int images) throws OrtException {
        return OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(pixels), new long[] {images, 3, height, width});
    }

    private static Map<String, float[][]> run(OrtSession s, InputTensors inputs, Set<String> wanted) throws OrtException {
        Set<String> present = new LinkedHashSet<>();
        for (String w : wanted) {
            if (s.getOutputNames().contains(w)) {
                present.add(w);
            }
        }
        Map<String, float[][]> out = new HashMap<>();
        try (OrtSession.Result result = s.run(inputs.map(), present)) {
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
