package dlx.vision;

import java.util.Random;

/**
 * Fully connected layer {@code y = x W + b}. {@code W} ({@code in x out}) is stored as one
 * contiguous float array per input row ({@code w[i]} holds the weights leaving input {@code i}),
 * so a sparse input reads and updates whole contiguous rows, and every inner loop runs over two
 * arrays from index 0, the shape that the JIT compiles to SIMD code.
 */
public final class Linear {
    final int in;
    final int out;
    /** Weights, {@code w[i][j]}. */
    final float[][] w;
    final float[] b;
    /** Gradients accumulated by {@link #backward}. */
    final float[][] gw;
    final float[] gb;

    /** Weights and biases drawn from N(0, std²). */
    public Linear(int in, int out, Random rng, double std) {
        this.in = in;
        this.out = out;
        this.w = new float[in][out];
        this.b = new float[out];
        this.gw = new float[in][out];
        this.gb = new float[out];
        for (float[] row : w) {
            for (int j = 0; j < out; j++) {
                row[j] = (float) (rng.nextGaussian() * std);
            }
        }
        for (int j = 0; j < out; j++) {
            b[j] = (float) (rng.nextGaussian() * std);
        }
    }

    public int inputs() {
        return in;
    }

    public int outputs() {
        return out;
    }

    /** {@code W[i][j]}. */
    public float weight(int i, int j) {
        return w[i][j];
    }

    public float[] bias() {
        return b;
    }

    /** {@code ∂L/∂W[i][j]} as accumulated by {@link #backward}. */
    public float weightGradient(int i, int j) {
        return gw[i][j];
    }

    public float[] biasGradient() {
        return gb;
    }

    /** {@code y[r] = x[r] W + b} for {@code r < n}; {@code x} is {@code n x in} and {@code y} is {@code n x out}, row-major; zero inputs are skipped. */
    public void forward(float[] x, int n, float[] y) {
        float[] acc = new float[out];
        for (int r = 0; r < n; r++) {
            System.arraycopy(b, 0, acc, 0, out);
            int xo = r * in;
            for (int i = 0; i < in; i++) {
                float xi = x[xo + i];
                if (xi != 0f) {
                    axpy(xi, w[i], acc, out);
                }
            }
            System.arraycopy(acc, 0, y, r * out, out);
        }
    }

    /** One example given as sparse (index, value) pairs {@code [from, to)}: {@code y = x W + b}. */
    public void forwardSparse(int[] idx, float[] val, int from, int to, float[] y) {
        System.arraycopy(b, 0, y, 0, out);
        int p = from;
        for (; p + 3 < to; p += 4) {
            axpy4(val[p], w[idx[p]], val[p + 1], w[idx[p + 1]], val[p + 2], w[idx[p + 2]], val[p + 3], w[idx[p + 3]], y, out);
        }
        for (; p < to; p++) {
            axpy(val[p], w[idx[p]], y, out);
        }
    }

    /**
     * Backward pass for a batch of {@code n} (row-major {@code x: n x in}, {@code gy: n x out}):
     * {@code gw += xᵀ gy}, {@code gb += Σ gy}, and, when {@code gx} is not null, {@code gx = gy Wᵀ}.
     */
    public void backward(float[] x, float[] gy, int n, float[] gx) {
        float[] g = new float[out];
        for (int r = 0; r < n; r++) {
            int xo = r * in;
            System.arraycopy(gy, r * out, g, 0, out);
            for (int i = 0; i < in; i++) {
                float xi = x[xo + i];
                if (xi != 0f) {
                    axpy(xi, g, gw[i], out);
                }
            }
            axpy(1f, g, gb, out);
            if (gx != null) {
                for (int i = 0; i < in; i++) {
                    gx[xo + i] = dot(w[i], g, out);
                }
            }
        }
    }

    public void zeroGrad() {
        for (float[] row : gw) {
            java.util.Arrays.fill(row, 0f);
        }
        java.util.Arrays.fill(gb, 0f);
    }

    /** Plain SGD on the accumulated gradients: {@code θ ← θ − lr ∇θ}. */
    public void sgd(float lr) {
        for (int i = 0; i < in; i++) {
            axpy(-lr, gw[i], w[i], out);
        }
        axpy(-lr, gb, b, out);
    }

    /** {@code y += a x} on the first {@code n} values. */
    static void axpy(float a, float[] x, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }

    static void axpy2(float a0, float[] x0, float a1, float[] x1, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j];
        }
    }

    static void axpy3(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j];
        }
    }

    /** {@code y += a0 x0 + a1 x1 + a2 x2 + a3 x3}: one pass over {@code y} for four rows. */
    static void axpy4(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3,
                      float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    /** {@code y += a0 x0 + ... + a4 x4}: one pass over {@code y} for five rows. */
    static void axpy5(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3,
                      float a4, float[] x4, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j] + a4 * x4[j];
        }
    }

    static float dot(float[] a, float[] c, int n) {
        float s = 0f;
        for (int j = 0; j < n; j++) {
            s += a[j] * c[j];
        }
        return s;
    }
}
