package dlx.vision;

import dlx.kit.data.FashionMnist;

/**
 * Images with, per example, a bit mask of its non-zero pixels (about half of a Fashion-MNIST image
 * is exactly zero), the labels and the dense pixels. Example {@code e}'s pixel {@code i} is
 * non-zero when bit {@code i % 64} of {@code masks[e * MASK_WORDS + i / 64]} is set, so the pixels
 * non-zero in any example of a mini-batch are the OR of a few words (see {@link PixelGroup}).
 */
public final class SparseImages {
    static final int MASK_WORDS = (FashionMnist.PIXELS + 63) / 64;

    final int count;
    final long[] masks;
    final float[] pixels;
    final int[] labels;
    final FashionMnist.Split dense;
    private final long nonZero;

    public SparseImages(FashionMnist.Split split) {
        this.dense = split;
        this.count = split.count();
        this.labels = split.labels();
        this.pixels = split.images();
        this.masks = new long[count * MASK_WORDS];
        long nnz = 0;
        for (int e = 0; e < count; e++) {
            int off = e * FashionMnist.PIXELS;
            for (int i = 0; i < FashionMnist.PIXELS; i++) {
                if (pixels[off + i] != 0f) {
                    masks[e * MASK_WORDS + (i >>> 6)] |= 1L << i;
                    nnz++;
                }
            }
        }
        this.nonZero = nnz;
    }

    public int count() {
        return count;
    }

    public FashionMnist.Split dense() {
        return dense;
    }

    /** Mean fraction of non-zero pixels. */
    public double density() {
        return count == 0 ? 0 : (double) nonZero / ((long) count * FashionMnist.PIXELS);
    }
}
