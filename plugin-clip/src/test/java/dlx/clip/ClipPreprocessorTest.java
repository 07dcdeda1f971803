package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipPreprocessorTest {

    /** A test image: r = (37x + 91y) mod 256, g = (13x² + 7y) mod 256, b = max(0, 255 - 20x - 30y). */
    private static ClipPreprocessor.Rgb pattern(int w, int h) {
        int[][] p = new int[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[0][y * w + x] = (x * 37 + y * 91) % 256;
                p[1][y * w + x] = (x * x * 13 + y * 7) % 256;
                p[2][y * w + x] = Math.max(0, 255 - x * 20 - y * 30);
            }
        }
        return new ClipPreprocessor.Rgb(w, h, p);
    }

    @Test
    void bicubicUpscaleMatchesPillow() {
        // Expected values: Pillow 9.4, Image.resize((7, 6), Image.BICUBIC) of the 5x4 pattern.
        ClipPreprocessor.Rgb out = ClipPreprocessor.resize(pattern(5, 4), 7, 6);
        assertThat(out.width()).isEqualTo(7);
        assertThat(out.height()).isEqualTo(6);
        assertThat(out.planes()[0]).containsExactly(0, 12, 42, 68, 94, 124, 144, 37, 54, 89, 127, 153, 183, 203, 107, 129,
                149, 149, 174, 205, 225, 180, 216, 172, 16, 35, 72, 92, 98, 127, 115, 38, 61, 94, 114, 4, 23, 58, 97, 123, 153, 173);
        assertThat(out.planes()[1]).containsExactly(0, 5, 21, 52, 96, 161, 213, 2, 8, 24, 55, 99, 164, 216, 7, 13, 29, 60,
                104, 169, 221, 12, 18, 34, 65, 109, 174, 226, 17, 23, 39, 70, 114, 179, 231, 20, 26, 42, 73, 117, 182, 234);
        assertThat(out.planes()[2]).containsExactly(255, 247, 231, 217, 203, 187, 176, 243, 233, 217, 203, 189, 173, 162, 221,
                210, 194, 180, 166, 150, 139, 201, 190, 174, 160, 146, 130, 119, 178, 167, 151, 137, 123, 107, 96, 164, 153,
                137, 123, 109, 93, 82);
    }

    @Test
    void bicubicDownscaleIsAntialiasedLikePillow() {
        // Expected values: Pillow 9.4, Image.resize((4, 3), Image.BICUBIC) of the 9x7 pattern.
        ClipPreprocessor.Rgb out = ClipPreprocessor.resize(pattern(9, 7), 4, 3);
        assertThat(out.planes()[0]).containsExactly(91, 132, 131, 101, 114, 108, 127, 129, 128, 112, 116, 128);
        assertThat(out.planes()[1]).containsExactly(13, 118, 158, 121, 29, 134, 174, 137, 45, 150, 190, 153);
        assertThat(out.planes()[2]).containsExactly(219, 176, 130, 87, 151, 108, 61, 22, 83, 40, 6, 0);
    }

    @Test
    void constantImageStaysConstantUnderResize() {
        int[][] p = new int[3][10 * 6];
        java.util.Arrays.fill(p[0], 77);
        java.util.Arrays.fill(p[1], 0);
        java.util.Arrays.fill(p[2], 255);
        ClipPreprocessor.Rgb out = ClipPreprocessor.resize(new ClipPreprocessor.Rgb(10, 6, p), 37, 23);
        assertThat(out.planes()[0]).containsOnly(77);
        assertThat(out.planes()[1]).containsOnly(0);
        assertThat(out.planes()[2]).containsOnly(255);
    }

    @Test
    void centreCropTakesTheMiddleRoundingDown() {
        ClipPreprocessor.Rgb img = pattern(6, 5);
        ClipPreprocessor.Rgb crop = ClipPreprocessor.centerCrop(img, 3, 2);
        // left = (6-3)/2 = 1, top = (5-2)/2 = 1
        assertThat(crop.at(0, 0, 0)).isEqualTo(img.at(0, 1, 1));
        assertThat(crop.at(1, 2, 1)).isEqualTo(img.at(1, 3, 2));
        assertThat(crop.width()).isEqualTo(3);
        assertThat(crop.height()).isEqualTo(2);
    }

    @Test
    void shortestSideIsResizedThenCropped() {
        ClipPreprocessor pre = new ClipPreprocessor(ClipPreprocessor.Config.square(32));
        assertThat(pre.resizeTarget(30, 40)).containsExactly(32, 42); // int(32 * 40 / 30)
        assertThat(pre.resizeTarget(50, 30)).containsExactly(53, 32);
        BufferedImage wide = Fixtures.solid(40, 30, Fixtures.RED, 1);
        assertThat(pre.pixelValues(wide)).hasSize(3 * 32 * 32);
        assertThat(pre.prepare(ClipPreprocessor.toRgb(wide)).width()).isEqualTo(32);
    }

    @Test
    void normalisationUsesMeanAndStd() {
        ClipPreprocessor pre = new ClipPreprocessor(ClipPreprocessor.Config.square(2));
        int[][] p = {{255, 0, 0, 255}, {0, 0, 0, 0}, {51, 51, 51, 51}};
        float[] v = pre.normalise(new ClipPreprocessor.Rgb(2, 2, p));
        float[] m = ClipPreprocessor.CLIP_MEAN;
        float[] s = ClipPreprocessor.CLIP_STD;
        assertThat(v).hasSize(12);
        assertThat(v[0]).isCloseTo((1 - m[0]) / s[0], within(1e-5f));
        assertThat(v[1]).isCloseTo((0 - m[0]) / s[0], within(1e-5f));
        assertThat(v[4]).isCloseTo(-m[1] / s[1], within(1e-5f));
        assertThat(v[8]).isCloseTo((0.2f - m[2]) / s[2], within(1e-5f));
    }

    @Test
    void grayscaleIsCopiedToThreeChannelsWithoutGammaChange() {
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                g.getRaster().setSample(x, y, 0, 100);
            }
        }
        ClipPreprocessor.Rgb rgb = ClipPreprocessor.toRgb(g);
        for (int c = 0; c < 3; c++) {
            assertThat(rgb.planes()[c]).containsOnly(100);
        }
        BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 65535);
        assertThat(ClipPreprocessor.toRgb(g16).planes()[1]).containsExactly(255);
    }

    @Test
    void transparentPixelsAreCompositedOverWhite() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00000000);
        img.setRGB(1, 0, 0xFF102030);
        ClipPreprocessor.Rgb rgb = ClipPreprocessor.toRgb(img);
        assertThat(rgb.planes()[0]).containsExactly(255, 0x10);
        assertThat(rgb.planes()[1]).containsExactly(255, 0x20);
        assertThat(rgb.planes()[2]).containsExactly(255, 0x30);
    }

    @Test
    void readsBothFormsOfPreprocessorConfig(@TempDir Path dir) throws IOException {
        Path old = dir.resolve("old.json");
        Files.writeString(old, "{\"size\": 224, \"crop_size\": 224, \"image_mean\": [0.5, 0.5, 0.5], \"image_std\": [0.25, 0.25, 0.25]}");
        ClipPreprocessor.Config c = ClipPreprocessor.readConfig(old);
        assertThat(c.shortestEdge()).isEqualTo(224);
        assertThat(c.outputWidth()).isEqualTo(224);
        assertThat(c.mean()).containsExactly(0.5f, 0.5f, 0.5f);
        ClipPreprocessor.Config tiny = ClipPreprocessor.readConfig(Fixtures.single().resolve("preprocessor_config.json"));
        assertThat(tiny.shortestEdge()).isEqualTo(32);
        assertThat(tiny.cropHeight()).isEqualTo(32);
        assertThat(tiny.std()).containsExactly(ClipPreprocessor.CLIP_STD);
        Path none = dir.resolve("empty.json");
        Files.writeString(none, "{}");
        assertThat(ClipPreprocessor.readConfig(none).outputHeight()).isEqualTo(224);
    }
}
