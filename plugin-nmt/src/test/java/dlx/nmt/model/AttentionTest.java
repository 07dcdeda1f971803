package dlx.nmt.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttentionTest {
    private NDManager manager;
    private final Random random = new Random(7);

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private float[] randoms(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /** softmax_j(q_i · k_j / √d) then Σ_j w_ij v_j, with loops, for one (Tq × d) query set. */
    private static double[][][] direct(float[] q, float[] k, float[] v, int off, int offKv, int tq, int tk, int d,
                                       int dv, boolean causal) {
        double[][] w = new double[tq][tk];
        double[][] out = new double[tq][dv];
        for (int i = 0; i < tq; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] s = new double[tk];
            for (int j = 0; j < tk; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += q[off + i * d + c] * k[offKv * d + j * d + c];
                }
                s[j] = causal && j > i + (tk - tq) ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(d);
                max = Math.max(max, s[j]);
            }
            double z = 0;
            for (int j = 0; j < tk; j++) {
                z += Math.exp(s[j] - max);
            }
            for (int j = 0; j < tk; j++) {
                w[i][j] = Math.exp(s[j] - max) / z;
                for (int c = 0; c < dv; c++) {
                    out[i][c] += w[i][j] * v[offKv * dv + j * dv + c];
                }
            }
        }
        return new double[][][] {w, out};
    }

    @Test
    void threeDimensionalMatchesDirectComputation() {
        int b = 2, tq = 3, tk = 4, d = 5, dv = 3;
        float[] q = randoms(b * tq * d);
        float[] k = randoms(b * tk * d);
        float[] v = randoms(b * tk * dv);
        NDList r = Attention.scaledDotProduct(manager.create(q, new Shape(b, tq, d)),
                manager.create(k, new Shape(b, tk, d)), manager.create(v, new Shape(b, tk, dv)));
        assertThat(r.get(0).getShape()).isEqualTo(new Shape(b, tq, dv));
        assertThat(r.get(1).getShape()).isEqualTo(new Shape(b, tq, tk));
        float[] out = r.get(0).toFloatArray();
        float[] w = r.get(1).toFloatArray();
        for (int n = 0; n < b; n++) {
            double[][][] e = direct(q, k, v, n * tq * d, n * tk, tq, tk, d, dv, false);
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tk; j++) {
                    assertThat((double) w[(n * tq + i) * tk + j]).isCloseTo(e[0][i][j], within(1e-5));
                }
                for (int c = 0; c < dv; c++) {
                    assertThat((double) out[(n * tq + i) * dv + c]).isCloseTo(e[1][i][c], within(1e-5));
                }
            }
        }
    }

    @Test
    void twoDimensionalSequenceMatchesDirectComputation() {
        int tq = 4, tk = 6, d = 3, dv = 2;
        float[] q = randoms(tq * d);
        float[] k = randoms(tk * d);
        float[] v = randoms(tk * dv);
        NDList r = Attention.scaledDotProduct(manager.create(q, new Shape(tq, d)), manager.create(k, new Shape(tk, d)),
                manager.create(v, new Shape(tk, dv)));
        double[][][] e = direct(q, k, v, 0, 0, tq, tk, d, dv, false);
        float[] out = r.get(0).toFloatArray();
        for (int i = 0; i < tq; i++) {
            for (int c = 0; c < dv; c++) {
                assertThat((double) out[i * dv + c]).isCloseTo(e[1][i][c], within(1e-5));
            }
        }
    }

    @Test
    void oneQueryPerRowMatchesDirectComputation() {
        int b = 3, tk = 5, d = 4, dv = 4;
        float[] q = randoms(b * d);
        float[] k = randoms(b * tk * d);
        float[] v = randoms(b * tk * dv);
        NDList r = Attention.scaledDotProduct(manager.create(q, new Shape(b, d)), manager.create(k, new Shape(b, tk, d)),
                manager.create(v, new Shape(b, tk, dv)));
        assertThat(r.get(0).getShape()).isEqualTo(new Shape(b, dv));
        assertThat(r.get(1).getShape()).isEqualTo(new Shape(b, tk));
        float[] out = r.get(0).toFloatArray();
        float[] w = r.get(1).toFloatArray();
        for (int n = 0; n < b; n++) {
            double[][][] e = direct(q, k, v, n * d, n * tk, 1, tk, d, dv, false);
            for (int j = 0; j < tk; j++) {
                assertThat((double) w[n * tk + j]).isCloseTo(e[0][0][j], within(1e-5));
            }
            for (int c = 0; c < dv; c++) {
                assertThat((double) out[n * dv + c]).isCloseTo(e[1][0][c], within(1e-5));
            }
        }
    }

    @Test
    void causalAttentionGivesFutureExactlyZeroWeightAndMatchesDirect() {
        int b = 2, t = 5, d = 4;
        float[] q = randoms(b * t * d);
        float[] k = randoms(b * t * d);
        float[] v = randoms(b * t * d);
        NDList r = Attention.scaledDotProduct(manager.create(q, new Shape(b, t, d)), manager.create(k, new Shape(b, t, d)),
                manager.create(v, new Shape(b, t, d)), true);
        float[] w = r.get(1).toFloatArray();
        float[] out = r.get(0).toFloatArray();
        for (int n = 0; n < b; n++) {
            double[][][] e = direct(q, k, v, n * t * d, n * t, t, t, d, d, true);
            for (int i = 0; i < t; i++) {
                double rowSum = 0;
                for (int j = 0; j < t; j++) {
                    float wij = w[(n * t + i) * t + j];
                    rowSum += wij;
                    if (j > i) {
                        assertThat(wij).isEqualTo(0f);
                    } else {
                        assertThat((double) wij).isCloseTo(e[0][i][j], within(1e-5));
                    }
                }
                assertThat(rowSum).isCloseTo(1.0, within(1e-5));
                for (int c = 0; c < d; c++) {
                    assertThat((double) out[(n * t + i) * d + c]).isCloseTo(e[1][i][c], within(1e-5));
                }
            }
        }
        // The first position sees only itself: its output is v_0.
        assertThat((double) out[0]).isCloseTo(v[0], within(1e-6));
    }

    @Test
    void changingFutureTokensDoesNotChangeCausalOutputs() {
        int t = 6, d = 4;
        float[] x = randoms(t * d);
        float[] y = x.clone();
        for (int c = 0; c < d; c++) {
            y[(t - 1) * d + c] += 3f;
        }
        NDArray a = manager.create(x, new Shape(1, t, d));
        NDArray bb = manager.create(y, new Shape(1, t, d));
        float[] oa = Attention.scaledDotProduct(a, a, a, true).get(0).toFloatArray();
        float[] ob = Attention.scaledDotProduct(bb, bb, bb, true).get(0).toFloatArray();
        for (int i = 0; i < (t - 1) * d; i++) {
            assertThat(ob[i]).isEqualTo(oa[i]);
        }
    }

    @Test
    void sinusoidalTableFollowsTheFormula() {
        float[][] pe = PositionalEncoding.table(50, 8);
        assertThat(pe[0][0]).isEqualTo(0f);
        assertThat(pe[0][1]).isEqualTo(1f);
        assertThat((double) pe[7][2]).isCloseTo(Math.sin(7 / Math.pow(10000, 2.0 / 8)), within(1e-6));
        assertThat((double) pe[7][3]).isCloseTo(Math.cos(7 / Math.pow(10000, 2.0 / 8)), within(1e-6));
    }
}
