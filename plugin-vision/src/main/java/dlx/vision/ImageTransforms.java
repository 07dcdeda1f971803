package dlx.vision;

import dlx.kit.data.FashionMnist;

/** Distribution shifts of the OOD study on 28x28 images stored row-major in one float array ({@code n x 784}). */
public final class ImageTransforms {
    private static final int S = FashionMnist.SIDE;
    private static final int P = FashionMnist.PIXELS;

    private ImageTransforms() { }

    /** Moves every image up by {@code pixels} rows; the rows that come in at the bottom are 0 (background). */
    public static float[] shiftUp(float[] images, int pixels) {
        float[] out = new float[images.length];
        int n = images.length / P;
        for (int e = 0; e < n; e++) {
            int o = e * P;
            for (int r = 0; r + pixels < S; r++) {
                System.arraycopy(images, o + (r + pixels) * S, out, o + r * S, S);
            }
        }
        return out;
    }

    /** Rotates every image counter-clockwise by {@code quarterTurns} × 90°. */
    public static float[] rotate(float[] images, int quarterTurns) {
        int q = Math.floorMod(quarterTurns, 4);
        float[] out = new float[images.length];
        int n = images.length / P;
        for (int e = 0; e < n; e++) {
            int o = e * P;
            for (int r = 0; r < S; r++) {
                for (int c = 0; c < S; c++) {
                    int src = switch (q) {
                        case 0 -> r * S + c;
                        case 1 -> c * S + (S - 1 - r);            // 90° counter-clockwise
                        case 2 -> (S - 1 - r) * S + (S - 1 - c);  // 180°
                        default -> (S - 1 - c) * S + r;           // 270° counter-clockwise
                    };
                    out[o + r * S + c] = images[o + src];
                }
            }
        }
        return out;
    }
}
