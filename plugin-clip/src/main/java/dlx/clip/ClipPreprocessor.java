package dlx.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CLIP's image preprocessing, as Hugging Face's {@code CLIPImageProcessor} does it: convert to RGB
 * (grayscale copied to three channels), resize the shortest side to {@code size} with bicubic
 * interpolation (Pillow's separable, antialiased resampling in 8 bits, re-implemented), centre
 * crop, scale to [0, 1], normalise per channel with the mean and std. The result is one image in
 * CHW order, as {@code pixel_values} expects it.
 */
public final class ClipPreprocessor {
    /** CLIP's defaults (OpenAI's training statistics). */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    private static final int PRECISION_BITS = 32 - 8 - 2;

    /**
     * @param shortestEdge resize target of the shortest side (when {@code resizeHeight} is 0)
     * @param resizeHeight exact resize height, or 0 for shortest-edge resizing
     * @param resizeWidth exact resize width, or 0 for shortest-edge resizing
     */
    public record Config(boolean doResize, int shortestEdge, int resizeHeight, int resizeWidth, boolean doCenterCrop,
                         int cropHeight, int cropWidth, boolean doRescale, double rescaleFactor, boolean doNormalize,
                         float[] mean, float[] std) {

        /** CLIP ViT-B/32's preprocessing: 224 shortest side, 224x224 crop, CLIP mean and std. */
        public static Config clipDefaults() {
            return square(224);
        }

        public static Config square(int side) {
            return new Config(true, side, 0, 0, true, side, side, true, 1 / 255.0, true, CLIP_MEAN.clone(), CLIP_STD.clone());
        }

        /** The output image height (the crop, or the resize when there is no crop). */
        public int outputHeight() {
            return doCenterCrop ? cropHeight : resizeHeight > 0 ? resizeHeight : shortestEdge;
        }

        public int outputWidth() {
            return doCenterCrop ? cropWidth : resizeWidth > 0 ? resizeWidth : shortestEdge;
        }

        @Override
        public String toString() {
            return (doResize ? (resizeHeight > 0 ? "resize to " + resizeWidth + "x" + resizeHeight
                    : "resize shortest side to " + shortestEdge) + " (bicubic), " : "")
                    + (doCenterCrop ? "centre crop " + cropWidth + "x" + cropHeight + ", " : "")
                    + "scale to [0,1]" + (doNormalize ? ", normalise with mean " + Arrays.toString(mean) + " std "
                    + Arrays.toString(std) : "");
        }
    }

    /** Per thread, one image's pixel values on their way into a batch's direct buffer. */
    private static final ThreadLocal<float[]> IMAGE_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private final Config config;
    /** Per channel, the value of each 8-bit level after rescaling and normalisation (computed once). */
    private final float[][] levels = new float[3][256];

    public ClipPreprocessor(Config config) {
        this.config = config;
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                levels[c][v] = value(v, c);
            }
        }
    }

    private float value(int level, int c) {
        float v = config.doRescale() ? (float) (level * config.rescaleFactor()) : level;
        return config.doNormalize() ? (v - config.mean()[c]) / config.std()[c] : v;
    }

    public Config config() {
        return config;
    }

    /**
     * Reads {@code preprocessor_config.json} (both the old form, {@code "size": 224}, and the new,
     * {@code "size": {"shortest_edge": 224}}); missing keys take CLIP's defaults.
     */
    public static Config readConfig(Path file) throws IOException {
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        int shortest = 224;
        int rh = 0;
        int rw = 0;
        JsonNode size = n.path("size");
        if (size.isInt()) {
            shortest = size.asInt();
        } else if (size.has("shortest_edge")) {
            shortest = size.get("shortest_edge").asInt();
        } else if (size.has("height") && size.has("width")) {
            rh = size.get("height").asInt();
            rw = size.get("width").asInt();
            shortest = Math.min(rh, rw);
        }
        int ch = shortest;
        int cw = shortest;
        JsonNode crop = n.path("crop_size");
        if (crop.isInt()) {
            ch = crop.asInt();
            cw = ch;
        } else if (crop.has("height") && crop.has("width")) {
            ch = crop.get("height").asInt();
            cw = crop.get("width").asInt();
        }
        float[] mean = floats(n.path("image_mean"), CLIP_MEAN);
        float[] std = floats(n.path("image_std"), CLIP_STD);
        if (shortest <= 0 || ch <= 0 || cw <= 0) {
            throw new IOException(file + ": image sizes must be positive (size " + shortest + ", crop " + cw + "x" + ch + ")");
        }
        for (float s : std) {
            if (s <= 0) {
                throw new IOException(file + ": image_std " + Arrays.toString(std) + " must be positive");
            }
        }
        return new Config(n.path("do_resize").asBoolean(true), shortest, rh, rw, n.path("do_center_crop").asBoolean(true),
                ch, cw, n.path("do_rescale").asBoolean(true), n.path("rescale_factor").asDouble(1 / 255.0),
                n.path("do_normalize").asBoolean(true), mean, std);
    }

    private static float[] floats(JsonNode node, float[] fallback) {
        if (node.isNumber()) {
            return new float[] {node.floatValue(), node.floatValue(), node.floatValue()};
        }
        if (!node.isArray() || node.size() != 3) {
            return fallback.clone();
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            out[i] = (float) node.get(i).asDouble();
        }
        return out;
    }

    /** An 8-bit RGB image as three planes of 0..255 values, row-major (read only: planes may be shared). */
    public record Rgb(int width, int height, int[][] planes) {
        public int at(int channel, int x, int y) {
            return planes[channel][y * width + x];
        }

        /** As a BufferedImage (for display). */
        public BufferedImage toImage() {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] rgb = new int[width * height];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (planes[0][i] << 16) | (planes[1][i] << 8) | planes[2][i];
            }
            img.setRGB(0, 0, width, height, rgb, 0, width);
            return img;
        }
    }

    /** {@code pixel_values} of one image: 3 x outputHeight x outputWidth, channel-major. */
    public float[] pixelValues(BufferedImage image) {
        return pixelValues(toRgb(image));
    }

    public float[] pixelValues(Rgb image) {
        Rgb img = prepare(image);
        float[] out = new float[3 * img.width() * img.height()];
        normalise(img, out, 0);
        return out;
    }

    /** {@code pixel_values} of one image written into {@code out} from {@code offset} (a batch's array). */
    public void pixelValues(Rgb image, float[] out, int offset) {
        Rgb img = prepare(image);
        if (img.width() != config.outputWidth() || img.height() != config.outputHeight()) {
            throw new IllegalStateException("preprocessed to " + img.width() + "x" + img.height() + ", expected "
                    + config.outputWidth() + "x" + config.outputHeight());
        }
        normalise(img, out, offset);
    }

    /**
     * {@code pixel_values} of one image written into {@code out} from index {@code offset} (a
     * batch's direct buffer, which ONNX Runtime reads in place).
     */
    public void pixelValues(Rgb image, FloatBuffer out, int offset) {
        Rgb img = prepare(image);
        if (img.width() != config.outputWidth() || img.height() != config.outputHeight()) {
            throw new IllegalStateException("preprocessed to " + img.width() + "x" + img.height() + ", expected "
                    + config.outputWidth() + "x" + config.outputHeight());
        }
        // normalised into a small array that stays in the L1 cache, then copied in one bulk put
        // (a put per value into the direct buffer was slower)
        float[] values = IMAGE_SCRATCH.get();
        if (values.length < 3 * img.width() * img.height()) {
            values = new float[3 * img.width() * img.height()];
            IMAGE_SCRATCH.set(values);
        }
        normalise(img, values, 0);
        out.put(offset, values, 0, 3 * img.width() * img.height());
    }

    /** Resize and crop (still 8-bit). */
    public Rgb prepare(Rgb rgb) {
        Rgb img = rgb;
        if (config.doResize()) {
            int[] hw = resizeTarget(img.height(), img.width());
            img = resize(img, hw[1], hw[0]);
        }
        if (config.doCenterCrop()) {
            img = centerCrop(img, config.cropWidth(), config.cropHeight());
        }
        return img;
    }

    /** {height, width} after resizing, as transformers' {@code get_resize_output_image_size} computes it. */
    int[] resizeTarget(int height, int width) {
        if (config.resizeHeight() > 0) {
            return new int[] {config.resizeHeight(), config.resizeWidth()};
        }
        int s = config.shortestEdge();
        if (height <= width) {
            return new int[] {s, (int) ((long) s * width / height)};
        }
        return new int[] {(int) ((long) s * height / width), s};
    }

    /** Rescale to [0,1] and normalise, CHW. */
    public float[] normalise(Rgb img) {
        float[] out = new float[3 * img.width() * img.height()];
        normalise(img, out, 0);
        return out;
    }

    private void normalise(Rgb img, float[] out, int offset) {
        int n = img.width() * img.height();
        for (int c = 0; c < 3; c++) {
            int[] plane = img.planes()[c];
            float[] level = levels[c];
            int o = offset + c * n;
            for (int i = 0; i < n; i++) {
                out[o + i] = level[plane[i]];
            }
        }
    }

    /**
     * Any image ImageIO reads, as 8-bit RGB. Single-band (grayscale) rasters are read as stored
     * and copied to the three channels: {@code getRGB} would pass them through the linear gray
     * colour space and brighten them. 16-bit samples are scaled to 8 bits; transparent pixels are
     * composited over white, as transformers' {@code convert_to_rgb} does.
     */
    public static Rgb toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        boolean gray = image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2 && !(image.getColorModel() instanceof java.awt.image.IndexColorModel);
        if (gray && raster.getNumBands() == 1 && raster.getTransferType() == java.awt.image.DataBuffer.TYPE_BYTE
                && raster.getSampleModel().getSampleSize(0) == 8) {
            // 8-bit grey in one read; the three channels share the plane (nothing writes into planes)
            byte[] bytes = (byte[]) raster.getDataElements(0, 0, w, h, null);
            int[] plane = new int[w * h];
            for (int i = 0; i < plane.length; i++) {
                plane[i] = bytes[i] & 0xFF;
            }
            return new Rgb(w, h, new int[][] {plane, plane, plane});
        }
        int[][] planes = new int[3][w * h];
        if (gray) {
            int bits = raster.getSampleModel().getSampleSize(0);
            int max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int s = raster.getSample(x, y, 0);
                    int v = bits == 8 ? s : (int) Math.round(s * 255.0 / max);
                    planes[0][y * w + x] = v;
                    planes[1][y * w + x] = v;
                    planes[2][y * w + x] = v;
                }
            }
        } else {
            boolean alpha = image.getColorModel().hasAlpha();
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                int a = alpha ? (argb[i] >>> 24) : 255;
                for (int c = 0; c < 3; c++) {
                    int v = (argb[i] >> (16 - 8 * c)) & 0xFF;
                    // transformers' convert_to_rgb composites transparent pixels over white
                    planes[c][i] = a == 255 ? v : (v * a + 255 * (255 - a) + 127) / 255;
                }
            }
        }
        return new Rgb(w, h, planes);
    }

    /** Centre crop as transformers does it (offsets rounded down); pads with 0 where the image is smaller. */
    public static Rgb centerCrop(Rgb img, int cropW, int cropH) {
        if (cropW == img.width() && cropH == img.height()) {
            return img;
        }
        int top = Math.floorDiv(img.height() - cropH, 2);
        int left = Math.floorDiv(img.width() - cropW, 2);
        int[][] out = new int[3][cropW * cropH];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < cropH; y++) {
                int sy = y + top;
                if (sy < 0 || sy >= img.height()) {
                    continue;
                }
                for (int x = 0; x < cropW; x++) {
                    int sx = x + left;
                    if (sx >= 0 && sx < img.width()) {
                        out[c][y * cropW + x] = img.at(c, sx, sy);
                    }
                }
            }
        }
        return new Rgb(cropW, cropH, out);
    }

    /**
     * Bicubic resize exactly as Pillow's {@code Image.resize(..., BICUBIC)} does it on 8-bit
     * images: separable (horizontal pass, then vertical), kernel a = -0.5 widened by the scale
     * when shrinking (antialiasing), fixed-point coefficients and rounding to 8 bits after each pass.
     */
    public static Rgb resize(Rgb img, int outW, int outH) {
        if (outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("cannot resize to " + outW + "x" + outH);
        }
        Rgb cur = img;
        if (outW != cur.width()) {
            Coefficients k = coefficients(cur.width(), outW);
            int[][] planes = new int[3][outW * cur.height()];
            for (int c = 0; c < 3; c++) {
                int[] src = cur.planes()[c];
                for (int y = 0; y < cur.height(); y++) {
                    int row = y * cur.width();
                    for (int x = 0; x < outW; x++) {
                        long ss = 1L << (PRECISION_BITS - 1);
                        int lo = k.start[x];
                        int[] kk = k.weights[x];
                        for (int i = 0; i < kk.length; i++) {
                            ss += (long) src[row + lo + i] * kk[i];
                        }
                        planes[c][y * outW + x] = clip8(ss);
                    }
                }
            }
            cur = new Rgb(outW, cur.height(), planes);
        }
        if (outH != cur.height()) {
            Coefficients k = coefficients(cur.height(), outH);
            int w = cur.width();
            int[][] planes = new int[3][w * outH];
            for (int c = 0; c < 3; c++) {
                int[] src = cur.planes()[c];
                for (int y = 0; y < outH; y++) {
                    int lo = k.start[y];
                    int[] kk = k.weights[y];
                    for (int x = 0; x < w; x++) {
                        long ss = 1L << (PRECISION_BITS - 1);
                        for (int i = 0; i < kk.length; i++) {
                            ss += (long) src[(lo + i) * w + x] * kk[i];
                        }
                        planes[c][y * w + x] = clip8(ss);
                    }
                }
            }
            cur = new Rgb(w, outH, planes);
        }
        return cur;
    }

    private static int clip8(long ss) {
        long v = ss >> PRECISION_BITS;
        return v < 0 ? 0 : v > 255 ? 255 : (int) v;
    }

    /** Pillow's bicubic kernel (a = -0.5). */
    static double bicubic(double x) {
        double a = -0.5;
        double t = Math.abs(x);
        if (t < 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        if (t < 2) {
            return (((t - 5) * t + 8) * t - 4) * a;
        }
        return 0;
    }

    private record Coefficients(int[] start, int[][] weights) { }

    /** Pillow's {@code precompute_coeffs} plus its conversion to fixed point. */
    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 2.0 * filterScale;
        int[] start = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double[] k = new double[xmax];
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                double w = bicubic((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0 ? k[x] / ww : k[x];
                double f = v * (1 << PRECISION_BITS);
                fixed[x] = (int) (v < 0 ? f - 0.5 : f + 0.5);
            }
            start[xx] = xmin;
            weights[xx] = fixed;
        }
        return new Coefficients(start, weights);
    }
}
