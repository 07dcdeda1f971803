package dlx.vision;

/**
 * Up to {@link #SIZE} examples of a mini-batch seen by the first layer together: the input pixels
 * that are non-zero in at least one of them ({@code pixel[0 .. count)}, ascending) and the
 * examples' values there ({@code value[p * SIZE + r]} for example {@code r}; 0 for the slots of a
 * group with fewer examples). The first layer then reads each weight row once per group instead
 * of once per example ({@link FirstLayer}).
 */
final class PixelGroup {
    /** Examples per group: five rows of accumulators (and one weight row) fit in the vector registers. */
    static final int SIZE = 5;

    final int[] pixel = new int[ScratchMlp.IN];
    final float[] value = new float[ScratchMlp.IN * SIZE];
    int count;
    int rows;

    /** Gathers the examples {@code examples[from .. from+rows)} ({@code rows <= SIZE}). */
    void gather(SparseImages d, int[] examples, int from, int rows) {
        this.rows = rows;
        final long[] masks = d.masks;
        final float[] px = d.pixels;
        if (rows == SIZE) {
            // The common case, in one pass: the five examples' values are read as each pixel is found.
            int m0 = examples[from] * SparseImages.MASK_WORDS;
            int m1 = examples[from + 1] * SparseImages.MASK_WORDS;
            int m2 = examples[from + 2] * SparseImages.MASK_WORDS;
            int m3 = examples[from + 3] * SparseImages.MASK_WORDS;
            int m4 = examples[from + 4] * SparseImages.MASK_WORDS;
            int b0 = examples[from] * ScratchMlp.IN;
            int b1 = examples[from + 1] * ScratchMlp.IN;
            int b2 = examples[from + 2] * ScratchMlp.IN;
            int b3 = examples[from + 3] * ScratchMlp.IN;
            int b4 = examples[from + 4] * ScratchMlp.IN;
            int n = 0;
            for (int w = 0; w < SparseImages.MASK_WORDS; w++) {
                long bits = masks[m0 + w] | masks[m1 + w] | masks[m2 + w] | masks[m3 + w] | masks[m4 + w];
                while (bits != 0) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    int c = n * SIZE;
                    pixel[n++] = i;
                    value[c] = px[b0 + i];
                    value[c + 1] = px[b1 + i];
                    value[c + 2] = px[b2 + i];
                    value[c + 3] = px[b3 + i];
                    value[c + 4] = px[b4 + i];
                }
            }
            count = n;
            return;
        }
        int n = 0;
        for (int w = 0; w < SparseImages.MASK_WORDS; w++) {
            long bits = 0;
            for (int r = 0; r < rows; r++) {
                bits |= masks[examples[from + r] * SparseImages.MASK_WORDS + w];
            }
            while (bits != 0) {
                pixel[n++] = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        count = n;
        for (int p = 0; p < n; p++) {
            for (int r = 0; r < SIZE; r++) {
                value[p * SIZE + r] = r < rows ? px[examples[from + r] * ScratchMlp.IN + pixel[p]] : 0f;
            }
        }
    }
}
