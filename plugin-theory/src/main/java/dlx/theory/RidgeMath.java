package dlx.theory;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Ridge regression J(w) = (1/2n)||Xw - t||^2 + lambda ||w||^2, whose gradient
 * (1/n) X^T (Xw - t) + 2 lambda w vanishes at w* = (X^T X + 2 n lambda I)^{-1} X^T t.
 * The closed form is solved with EJML; the independent check is plain gradient descent.
 */
final class RidgeMath {
    static final String FORMULA = "w* = (XᵀX + 2nλI)⁻¹ Xᵀt  (from ∇J = (1/n)Xᵀ(Xw − t) + 2λw = 0)";

    private RidgeMath() { }

    /** The closed form by a Cholesky solve of the normal equations (any least-squares solver for λ = 0). */
    static double[] closedForm(double[][] x, double[] t, double lambda) {
        int n = x.length;
        int d = x[0].length;
        DMatrixRMaj xm = new DMatrixRMaj(x);
        DMatrixRMaj tm = new DMatrixRMaj(n, 1, true, t);
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(xm, xm, a);
        for (int i = 0; i < d; i++) {
            a.add(i, i, 2.0 * n * lambda);
        }
        DMatrixRMaj b = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.multTransA(xm, tm, b);
        LinearSolverDense<DMatrixRMaj> solver = lambda > 0
                ? LinearSolverFactory_DDRM.symmPosDef(d)
                : LinearSolverFactory_DDRM.pseudoInverse(true);
        if (!solver.setA(a)) {
            throw new IllegalStateException("XᵀX + 2nλI is singular for λ = " + lambda);
        }
        DMatrixRMaj w = new DMatrixRMaj(d, 1);
        solver.solve(b, w);
        return w.getData().clone();
    }

    /** Gradient of J at w. */
    static double[] gradient(double[][] x, double[] t, double lambda, double[] w) {
        int n = x.length;
        int d = w.length;
        double[] g = new double[d];
        for (int i = 0; i < n; i++) {
            double r = -t[i];
            for (int j = 0; j < d; j++) {
                r += x[i][j] * w[j];
            }
            for (int j = 0; j < d; j++) {
                g[j] += x[i][j] * r / n;
            }
        }
        for (int j = 0; j < d; j++) {
            g[j] += 2 * lambda * w[j];
        }
        return g;
    }

    /**
     * Plain gradient descent from w = 0 with step 1/L, L = trace(XᵀX)/n + 2λ (an upper bound of the
     * Hessian's largest eigenvalue), until the gradient's max-norm is below {@code gradTol}.
     */
    static double[] gradientDescent(double[][] x, double[] t, double lambda, double gradTol, int maxIterations) {
        int n = x.length;
        int d = x[0].length;
        double trace = 0;
        for (double[] row : x) {
            for (double v : row) {
                trace += v * v;
            }
        }
        double step = 1.0 / (trace / n + 2 * lambda);
        double[] w = new double[d];
        for (int it = 0; it < maxIterations; it++) {
            double[] g = gradient(x, t, lambda, w);
            double max = 0;
            for (int j = 0; j < d; j++) {
                max = Math.max(max, Math.abs(g[j]));
                w[j] -= step * g[j];
            }
            if (max < gradTol) {
                break;
            }
        }
        return w;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
