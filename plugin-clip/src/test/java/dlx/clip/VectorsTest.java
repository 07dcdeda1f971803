package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void normalisationAndSoftmax() {
        assertThat(Vectors.normalize(new float[] {3, 4})).containsExactly(0.6f, 0.8f);
        assertThat(Vectors.normalize(new float[] {0, 0})).containsExactly(0f, 0f);
        double[] p = Vectors.softmax(new double[] {0.3, 0.1, 0.3}, 100);
        assertThat(p[0]).isCloseTo(p[2], within(1e-12));
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-12));
        assertThat(p[1]).isCloseTo(Math.exp(-20) / (2 + Math.exp(-20)), within(1e-12));
        assertThat(Vectors.argmax(new double[] {0.1, 0.5, 0.2})).isEqualTo(1);
    }

    @Test
    void similaritiesAreDotProductsWithEveryRow() {
        float[][] rows = {{1, 0}, {0.6f, 0.8f}, {-1, 0}};
        assertThat(Vectors.similarities(new float[] {0.6f, 0.8f}, rows)).containsExactly(new double[] {0.6, 1.0, -0.6},
                within(1e-6));
        assertThat(Vectors.normalizeRows(new float[][] {{0, 2}, {3, 4}})).isDeepEqualTo(new float[][] {{0, 1}, {0.6f, 0.8f}});
        assertThatThrownBy(() -> Vectors.dot(new float[2], new float[3])).hasMessageContaining("different sizes");
    }
}
