package dlx.clip;

/** The vector maths of CLIP retrieval: unit length, cosine similarity of unit vectors, softmax, argmax. */
final class Vectors {
    private Vectors() { }

    /** A copy scaled to unit L2 norm; an all-zero vector stays zero. */
    static float[] normalize(float[] v) {
        return normalizeInPlace(v.clone());
    }

    /** {@code v} itself scaled to unit L2 norm (an all-zero vector, or one with a NaN, becomes zeros). */
    static float[] normalizeInPlace(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double norm = Math.sqrt(s);
        if (norm == 0 || Double.isNaN(norm)) {
            java.util.Arrays.fill(v, 0f);
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return v;
    }

    static float[][] normalizeRows(float[][] m) {
        float[][] out = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = normalize(m[i]);
        }
        return out;
    }

    /** The dot product: the cosine similarity of unit vectors. */
    static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different sizes: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** The dot product of {@code query} with every row of {@code rows}. */
    static double[] similarities(float[] query, float[][] rows) {
        double[] s = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            s[i] = dot(query, rows[i]);
        }
        return s;
    }

    /** Softmax of {@code scale * values}, computed stably. */
    static double[] softmax(double[] values, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, scale * v);
        }
        double[] p = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            p[i] = Math.exp(scale * values[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
