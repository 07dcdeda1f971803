package dlx.nmt.scaling;

/** Least-squares fits of the IsoFLOP analysis. */
public final class Fits {
    private Fits() { }

    /** y ≈ a + b·x + c·x², coefficients {a, b, c}. */
    public static double[] quadratic(double[] x, double[] y) {
        if (x.length < 3) {
            throw new IllegalArgumentException("a quadratic needs at least 3 points, got " + x.length);
        }
        double[][] m = new double[3][4];
        for (int i = 0; i < x.length; i++) {
            double[] row = {1, x[i], x[i] * x[i]};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[r][c] += row[r] * row[c];
                }
                m[r][3] += row[r] * y[i];
            }
        }
        return solve(m);
    }

    /** y ≈ intercept + slope·x, as {intercept, slope}. */
    public static double[] line(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("a line needs at least 2 points, got " + n);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }

    private static double[] solve(double[][] m) {
        int n = m.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            if (Math.abs(m[col][col]) < 1e-300) {
                throw new ArithmeticException("singular system: the x values do not determine a quadratic");
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int c = col; c <= n; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = m[i][n] / m[i][i];
        }
        return out;
    }
}
