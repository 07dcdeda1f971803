package dlx.clip;

import ai.onnxruntime.OrtException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * CLIP's logit scale, the factor that turns cosine similarities into logits. A single model
 * computes it inside the graph and never outputs it, so it is read off {@code logits_per_image}:
 * logit / cosine on a probe pair of a caption and a random image. Separate encoders do not
 * carry it: config.json's {@code logit_scale} is used when present (dlx's embedded model writes
 * it), else CLIP's trained value (the clamp of training, 100).
 */
final class LogitScale {
    /** CLIP's learned temperature, clamped at 100 in training. */
    static final double CLIP_DEFAULT = 100.0;
    private static final List<String> PROBE_CAPTIONS = List.of("a photo", "a photo of a dog", "a diagram");

    private LogitScale() { }

    /** The folder's logit scale: probed from a single model, else config.json's, else {@link #CLIP_DEFAULT}; says which in the log. */
    static double of(ClipFolder folder, ClipSessions sessions, ClipTokenizer tokenizer, Consumer<String> log)
            throws OrtException {
        if (folder.layout() == ClipFolder.Layout.DUAL && folder.configLogitScale() != null) {
            log.accept(String.format(Locale.ROOT, "logit scale %.4f (config.json's logit_scale)", folder.configLogitScale()));
            return folder.configLogitScale();
        }
        if (folder.layout() == ClipFolder.Layout.DUAL) {
            log.accept("logit scale " + CLIP_DEFAULT + " (CLIP's trained value; separate encoders do not carry it)");
            return CLIP_DEFAULT;
        }
        return probe(folder, sessions, tokenizer, log);
    }

    private static double probe(ClipFolder folder, ClipSessions sessions, ClipTokenizer tokenizer, Consumer<String> log)
            throws OrtException {
        int h = folder.preprocessing().outputHeight();
        int w = folder.preprocessing().outputWidth();
        // Two images: one blank, one of noise, so that some pair has a cosine far from 0.
        float[] pixels = new float[2 * 3 * h * w];
        Random r = new Random(7);
        for (int i = pixels.length / 2; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }
        Map<String, float[][]> out = sessions.single(tokenizer.encode(PROBE_CAPTIONS), java.nio.FloatBuffer.wrap(pixels), 2,
                Set.of(ClipFolder.LOGITS_PER_IMAGE, ClipFolder.TEXT_EMBEDS, ClipFolder.IMAGE_EMBEDS));
        float[][] logits = out.get(ClipFolder.LOGITS_PER_IMAGE);
        if (logits == null) {
            log.accept("the model has no logits_per_image output; using CLIP's logit scale " + CLIP_DEFAULT);
            return CLIP_DEFAULT;
        }
        float[][] texts = Vectors.normalizeRows(out.get(ClipFolder.TEXT_EMBEDS));
        float[][] images = Vectors.normalizeRows(out.get(ClipFolder.IMAGE_EMBEDS));
        double best = 0;
        double scale = CLIP_DEFAULT;
        for (int i = 0; i < images.length; i++) {
            for (int j = 0; j < texts.length; j++) {
                double cos = Vectors.dot(images[i], texts[j]);
                if (Math.abs(cos) > best) {
                    best = Math.abs(cos);
                    scale = logits[i][j] / cos;
                }
            }
        }
        if (best < 1e-3 || !(scale > 0) || Double.isInfinite(scale)) {
            log.accept("could not read the logit scale off logits_per_image; using CLIP's " + CLIP_DEFAULT);
            return CLIP_DEFAULT;
        }
        log.accept(String.format(Locale.ROOT, "logit scale %.4f (read off logits_per_image)", scale));
        return scale;
    }
}
