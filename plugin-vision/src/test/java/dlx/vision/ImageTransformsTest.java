package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageTransformsTest {
    private static float[] numbered() {
        float[] img = new float[784];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        return img;
    }

    @Test
    void rotatesCounterClockwise() {
        float[] img = new float[784];
        img[0 * 28 + 27] = 1; // top-right corner
        float[] r90 = ImageTransforms.rotate(img, 1);
        assertThat(r90[0]).isEqualTo(1f); // counter-clockwise: top-right goes to top-left
        float[] r180 = ImageTransforms.rotate(img, 2);
        assertThat(r180[27 * 28 + 0]).isEqualTo(1f);
        float[] r270 = ImageTransforms.rotate(img, 3);
        assertThat(r270[27 * 28 + 27]).isEqualTo(1f);
    }

    @Test
    void fourQuarterTurnsAreTheIdentityAndCompose() {
        float[] img = numbered();
        float[] x = img;
        for (int k = 0; k < 4; k++) {
            x = ImageTransforms.rotate(x, 1);
        }
        assertThat(x).containsExactly(img);
        assertThat(ImageTransforms.rotate(ImageTransforms.rotate(img, 1), 1)).containsExactly(ImageTransforms.rotate(img, 2));
        assertThat(ImageTransforms.rotate(ImageTransforms.rotate(img, 1), 3)).containsExactly(img);
    }

    @Test
    void shiftsUpAndFillsTheBottomWithBackground() {
        float[] two = new float[2 * 784];
        for (int i = 0; i < two.length; i++) {
            two[i] = 1 + i % 784;
        }
        float[] s = ImageTransforms.shiftUp(two, 4);
        for (int img = 0; img < 2; img++) {
            int o = img * 784;
            assertThat(s[o]).isEqualTo(two[o + 4 * 28]);
            assertThat(s[o + 23 * 28 + 5]).isEqualTo(two[o + 27 * 28 + 5]);
            for (int i = 24 * 28; i < 784; i++) {
                assertThat(s[o + i]).isZero();
            }
        }
    }
}
