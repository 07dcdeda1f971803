package dlx.vision;

import java.util.Arrays;
import java.util.Random;

/**
 * Fully connected layer {@code y = x W + b}, with its textbook forward and backward passes (what
 * the gradient checker verifies). {@code W} ({@code in x out}) is one row-major array: the
 * weights leaving input {@code i} are the contiguous row {@code w[i*out .. (i+1)*out)}, so a
 * sparse input reads and updates whole rows (see {@link FirstLayer}).
 */
public final class Linear {
    final int in;
    final int out;
    /** Weights, {@code W[i][j] = w[i * out + j]}. */
    final float[] w;
    final float[] b;
    /** Gradients accumulated by {@link #backward}, laid out like {@code w} and {@code b}. */
    final float[] gw;
    final float[] gb;

    /** Weights and biases drawn from N(0, std²), row by row, then the biases. */
    public Linear(int in, int out, Random rng, double std) {
        this.in = in;
        this.out = out;
        this.w = new float[in * out];
        this.b = new float[out];
        this.gw = new float[in * out];
        this.gb = new float[out];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) (rng.nextGaussian() * std);
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
        return w[i * out + j];
    }

    public float[] bias() {
        return b;
    }

    /** {@code ∂L/∂W[i][j]} as accumulated by {@link #backward}. */
    public float weightGradient(int i, int j) {
        return gw[i * out + j];
    }

    public float[] biasGradient() {
        return gb;
    }

    /** {@code y[r] = x[r] W + b} for {@code r < n}; {@code x} is {@code n x in} and {@code y} is {@code n x out}, row-major. */
    public void forward(float[] x, int n, float[] y) {
        for (int r = 0; r < n; r++) {
            int yo = r * out;
            System.arraycopy(b, 0, y, yo, out);
            for (int i = 0; i < in; i++) {
                float xi = x[r * in + i];
                if (xi != 0f) {
                    for (int j = 0; j < out; j++) {
                        y[yo + j] += xi * w[i * out + j];
                    }
                }
            }
        }
    }

    /**
     * Backward pass for a batch of {@code n} (row-major {@code x: n x in}, {@code gy: n x out}):
     * {@code gw += xᵀ gy}, {@code gb += Σ gy}, and, when {@code gx} is not null, {@code gx = gy Wᵀ}.
     */
    public void backward(float[] x, float[] gy, int n, float[] gx) {
        for (int r = 0; r < n; r++) {
            int go = r * out;
            for (int i = 0; i < in; i++) {
                float xi = x[r * in + i];
                if (xi != 0f) {
                    for (int j = 0; j < out; j++) {
                        gw[i * out + j] += xi * gy[go + j];
                    }
                }
            }
            for (int j = 0; j < out; j++) {
                gb[j] += gy[go + j];
            }
            if (gx != null) {
                for (int i = 0; i < in; i++) {
                    float s = 0f;
                    for (int j = 0; j < out; j++) {
                        s += w[i * out + j] * gy[go + j];
                    }
                    gx[r * in + i] = s;
                }
            }
        }
    }

    public void zeroGrad() {
        Arrays.fill(gw, 0f);
        Arrays.fill(gb, 0f);
    }

    /** Plain SGD on the accumulated gradients: {@code θ ← θ − lr ∇θ}. */
    public void sgd(float lr) {
        axpy(-lr, gw, w, w.length);
        axpy(-lr, gb, b, out);
    }

    /** {@code y += a x} on the first {@code n} values. */
    static void axpy(float a, float[] x, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }
}
