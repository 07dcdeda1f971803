package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * Dropout on the design matrix as Tikhonov regularisation:
 * E_R‖y − (R⊙X)w‖² = ‖y − pXw‖² + p(1−p)‖Γw‖², Γ = diag(XᵀX)^{1/2}; with w̃ = pw it is the
 * generalised ridge problem ‖y − Xw̃‖² + ((1−p)/p)‖Γw̃‖². Checked by Monte Carlo over R, and the
 * ridge solution (EJML linear solve) by the gradient of the expected objective.
 */
public final class DropoutTikhonovExperiment implements Experiment {
    static final double TOLERANCE = 0.01;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.dropout-tikhonov")
                .title("Dropout on the inputs equals Tikhonov (generalised ridge) regularisation in expectation")
                .description("E_R||y - (R*X)w||^2 with R_ij ~ Bernoulli(p) = ||y - pXw||^2 + p(1-p)||Gamma w||^2, "
                        + "Gamma = diag(X^T X)^(1/2); rescaling w~ = p w gives a generalised ridge problem. "
                        + "Monte Carlo check with a fixed seed.")
                .param(ParamSpec.decimal("keepProb", 0.8).range(0.01, 1).help("Bernoulli parameter p of R"))
                .param(ParamSpec.integer("samples", 200_000).quick(20_000).min(100).help("Monte Carlo draws of the mask R"))
                .param(ParamSpec.integer("examples", 30).min(1).help("rows of X"))
                .param(ParamSpec.integer("features", 4).min(1).help("columns of X"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        double p = request.params().decimal("keepProb");
        int samples = request.params().integer("samples");
        int n = request.params().integer("examples");
        int d = request.params().integer("features");
        Random rnd = new Random(request.seed());
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        DMatrixRMaj w = new DMatrixRMaj(d, 1);
        for (int i = 0; i < n * d; i++) {
            x.data[i] = rnd.nextGaussian() * (1 + (i % d));
        }
        for (int j = 0; j < d; j++) {
            w.data[j] = rnd.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y.data[i] = rnd.nextGaussian() * 3;
        }

        double closed = closedForm(x, y, w, p);
        double mc = 0;
        for (int s = 0; s < samples; s++) {
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double pred = 0;
                for (int j = 0; j < d; j++) {
                    if (rnd.nextDouble() < p) {
                        pred += x.get(i, j) * w.data[j];
                    }
                }
                double r = y.data[i] - pred;
                loss += r * r;
            }
            mc += loss;
            if (s % 10_000 == 0) {
                request.checkCancelled();
            }
        }
        mc /= samples;
        double relErr = Math.abs(mc - closed) / closed;
        reporter.answer("formula", "E_R||y - (R o X)w||^2 = ||y - pXw||^2 + p(1-p)||Gamma w||^2, Gamma = diag(X^T X)^(1/2): "
                + "E[(R o X)w]_i = p (Xw)_i and Var[(R o X)w]_i = p(1-p) sum_j x_ij^2 w_j^2, summed over i");
        reporter.answer("rescaling", "with w~ = p w: ||y - X w~||^2 + ((1-p)/p) ||Gamma w~||^2 (times p^2/p^2), a generalised "
                + "ridge problem with solution w~* = (X^T X + ((1-p)/p) Gamma^2)^(-1) X^T y, i.e. w* = w~*/p");
        reporter.answer("closedFormObjective", closed);
        reporter.answer("monteCarloObjective", mc);
        reporter.metric("monteCarloSampleSize", samples);
        reporter.log(String.format("closed form %.6f, Monte Carlo %.6f over %d masks", closed, mc, samples));
        reporter.verify("monteCarloRelErr", relErr, TOLERANCE);

        // Generalised ridge: solve (X^T X + ((1-p)/p) Gamma^2) w~ = X^T y with EJML, check the expected
        // objective's gradient vanishes at w* = w~/p.
        DMatrixRMaj xtx = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(x, x, xtx);
        DMatrixRMaj a = xtx.copy();
        for (int j = 0; j < d; j++) {
            a.add(j, j, (1 - p) / p * xtx.get(j, j));
        }
        DMatrixRMaj xty = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.multTransA(x, y, xty);
        DMatrixRMaj wTilde = new DMatrixRMaj(d, 1);
        if (!CommonOps_DDRM.solve(a, xty, wTilde)) {
            throw new IllegalStateException("the generalised ridge system is singular");
        }
        DMatrixRMaj wStar = wTilde.copy();
        CommonOps_DDRM.scale(1 / p, wStar);
        DMatrixRMaj grad = gradient(x, y, wStar, p);
        double gradNorm = NormOps_DDRM.normF(grad) / NormOps_DDRM.normF(xty);
        reporter.answer("ridgeSolution", wStar.data.clone());
        reporter.verify("ridgeGradientResidual", gradNorm, 1e-9);
    }

    /** ||y - pXw||^2 + p(1-p) sum_j (X^T X)_jj w_j^2. */
    static double closedForm(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj w, double p) {
        double loss = 0;
        for (int i = 0; i < x.numRows; i++) {
            double pred = 0;
            for (int j = 0; j < x.numCols; j++) {
                pred += x.get(i, j) * w.data[j];
            }
            double r = y.data[i] - p * pred;
            loss += r * r;
        }
        for (int j = 0; j < x.numCols; j++) {
            double g2 = 0;
            for (int i = 0; i < x.numRows; i++) {
                g2 += x.get(i, j) * x.get(i, j);
            }
            loss += p * (1 - p) * g2 * w.data[j] * w.data[j];
        }
        return loss;
    }

    /** Gradient of the closed form: -2p X^T(y - pXw) + 2p(1-p) Gamma^2 w. */
    static DMatrixRMaj gradient(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj w, double p) {
        DMatrixRMaj r = new DMatrixRMaj(x.numRows, 1);
        CommonOps_DDRM.mult(x, w, r);
        CommonOps_DDRM.scale(-p, r);
        CommonOps_DDRM.addEquals(r, y);
        DMatrixRMaj g = new DMatrixRMaj(x.numCols, 1);
        CommonOps_DDRM.multTransA(x, r, g);
        CommonOps_DDRM.scale(-2 * p, g);
        for (int j = 0; j < x.numCols; j++) {
            double g2 = 0;
            for (int i = 0; i < x.numRows; i++) {
                g2 += x.get(i, j) * x.get(i, j);
            }
            g.add(j, 0, 2 * p * (1 - p) * g2 * w.data[j]);
        }
        return g;
    }
}
