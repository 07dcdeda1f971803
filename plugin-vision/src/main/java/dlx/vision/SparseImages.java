package dlx.vision;

import dlx.kit.data.FashionMnist;

/**
 * Images in compressed-sparse-row form (about half of a Fashion-MNIST image is exactly zero), with
 * the labels and the dense original. Example {@code e} holds the pairs
 * {@code (idx[p], val[p])} for {@code rowStart[e] <= p < rowStart[e + 1]}.
 */
public final class SparseImages {
    final int count;
    final int[] rowStart;
    final int[] idx;
    final float[] val;
    final int[] labels;
    final FashionMnist.Split dense;

    public SparseImages(FashionMnist.Split split) {
        this.dense = split;
        this.count = split.count();
        this.labels = split.labels();
        float[] px = split.images();
        int nnz = 0;
        for (float v : px) {
            if (v != 0f) {
                nnz++;
            }
        }
        rowStart = new int[count + 1];
        idx = new int[nnz];
        val = new float[nnz];
        int p = 0;
        for (int e = 0; e < count; e++) {
            rowStart[e] = p;
            int off = e * FashionMnist.PIXELS;
            for (int i = 0; i < FashionMnist.PIXELS; i++) {
                float v = px[off + i];
                if (v != 0f) {
                    idx[p] = i;
                    val[p] = v;
                    p++;
                }
            }
        }
        rowStart[count] = p;
    }

    public int count() {
        return count;
    }

    public FashionMnist.Split dense() {
        return dense;
    }

    /** Mean fraction of non-zero pixels. */
    public double density() {
        return count == 0 ? 0 : (double) idx.length / ((long) count * FashionMnist.PIXELS);
    }
}
