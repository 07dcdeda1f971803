package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Vanishing gradients in h_t = σ(W h_{t−1} + U x_t + b). (a) The pre-activation recursion
 * g_t = W σ(g_{t−1}) + U x_t + b gives h_t = σ(g_t) (induction, h_0 = σ(g_0)). (b) ∂h_T/∂h_0 =
 * Π_t diag(σ′(a_t)) W, so ‖∂h_T/∂h_0‖₂ ≤ Π_t γ‖W‖₂ ≤ δ^T when λ₁(WᵀW) ≤ δ²/γ². Simulated on random
 * RNNs inside and outside the bound; the product Jacobian is checked by finite differences.
 */
public final class RnnGradientsExperiment implements Experiment {
    /** The label values of the two kinds of random RNN: satisfying the bound's condition or not. */
    private static final String[] CASES = {"inside", "outside"};

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.rnn-gradients")
                .title("RNN pre-activation recursion and the vanishing-gradient bound")
                .description("(a) g_t = W sigma(g_{t-1}) + U x_t + b gives h_t = sigma(g_t); (b) if lambda_1(W^T W) <= "
                        + "delta^2/gamma^2 with |sigma'| <= gamma then ||dh_T/dh_0|| <= delta^T; measured on random RNNs "
                        + "inside and outside the bound.")
                .param(ParamSpec.choice("activation", "tanh", "tanh", "sigmoid").help("sigma (gamma = 1 for tanh, 1/4 for sigmoid)"))
                .param(ParamSpec.decimal("delta", 0.9).range(0.01, 0.999).help("delta < 1 of the bound"))
                .param(ParamSpec.decimal("outsideFactor", 1.6).min(1.0001)
                        .help("for the RNNs outside the bound: sqrt(lambda_1(W^T W)) = outsideFactor * delta / gamma"))
                .param(ParamSpec.integer("hidden", 16).min(1).help("hidden size"))
                .param(ParamSpec.integer("steps", 60).quick(30).min(1).help("largest T"))
                .param(ParamSpec.integer("trials", 20).quick(8).min(1).help("random RNNs inside and outside the bound"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        boolean tanh = request.params().string("activation").equals("tanh");
        double gamma = tanh ? 1 : 0.25;
        double delta = request.params().decimal("delta");
        double outside = request.params().decimal("outsideFactor");
        int h = request.params().integer("hidden");
        int steps = request.params().integer("steps");
        int trials = request.params().integer("trials");
        Random rnd = new Random(request.seed());

        reporter.answer("recursion", "g_t = W sigma(g_{t-1}) + U x_t + b with h_0 = sigma(g_0): if h_{t-1} = sigma(g_{t-1}) then "
                + "h_t = sigma(W h_{t-1} + U x_t + b) = sigma(W sigma(g_{t-1}) + U x_t + b) = sigma(g_t)");
        reporter.answer("bound", "dh_T/dh_0 = prod_t diag(sigma'(a_t)) W, so ||dh_T/dh_0||_2 <= prod_t ||diag(sigma'(a_t))||_2 ||W||_2 "
                + "<= (gamma sqrt(lambda_1(W^T W)))^T <= delta^T -> 0 when lambda_1(W^T W) <= delta^2/gamma^2");
        reporter.answer("gamma", gamma);
        reporter.answer("delta", delta);

        // (a) the two recursions agree.
        Rnn probe = Rnn.random(rnd, h, 1.0, tanh);
        double[] g = gaussian(rnd, h);
        double[] hState = act(g, tanh);
        double recursionResidual = 0;
        for (int t = 0; t < steps; t++) {
            double[] x = gaussian(rnd, h);
            hState = act(probe.pre(hState, x), tanh);
            g = probe.pre(act(g, tanh), x);
            double[] hg = act(g, tanh);
            for (int i = 0; i < h; i++) {
                recursionResidual = Math.max(recursionResidual, Math.abs(hState[i] - hg[i]));
            }
        }
        reporter.verify("recursionResidual", recursionResidual, 1e-12);

        // (b) Jacobian norms of random RNNs inside and outside the bound: one label per case.
        double[] insideMax = new double[steps + 1];
        double[] outsideMax = new double[steps + 1];
        double[] lambdaRatio = new double[2];
        double boundLambda = delta * delta / (gamma * gamma);
        for (int k = 0; k < trials; k++) {
            double shrink = 0.5 + 0.5 * rnd.nextDouble();
            Rnn in = Rnn.random(rnd, h, shrink * delta / gamma, tanh);
            lambdaRatio[0] = Math.max(lambdaRatio[0], lambdaMax(in.w) / boundLambda);
            track(in, rnd, steps, insideMax, tanh);
            Rnn out = Rnn.random(rnd, h, outside * delta / gamma, tanh);
            lambdaRatio[1] = Math.max(lambdaRatio[1], lambdaMax(out.w) / boundLambda);
            track(out, rnd, steps, outsideMax, tanh);
            request.checkCancelled();
        }
        double excess = 0;
        for (int t = 1; t <= steps; t++) {
            reporter.series("boundDeltaPowT").add(t, Math.pow(delta, t));
            excess = Math.max(excess, insideMax[t] / Math.pow(delta, t) - 1);
        }
        double[][] maxNorms = {insideMax, outsideMax};
        LinePlot.Builder plot = LinePlot.builder("jacobian-norm.png", "||dh_T/dh_0||_2 (max over random RNNs)", "T",
                "spectral norm").logY();
        int[] above = new int[CASES.length];
        for (int c = 0; c < CASES.length; c++) {
            Labels rnns = Labels.of("rnns", CASES[c]);
            for (int t = 1; t <= steps; t++) {
                reporter.series("jacobianNormByT", rnns).add(t, maxNorms[c][t]);
                above[c] += maxNorms[c][t] > Math.pow(delta, t) ? 1 : 0;
            }
            reporter.answer("normAtTMax", rnns, maxNorms[c][steps]);
            reporter.answer("stepsAboveDeltaPowT", rnns, above[c]);
            reporter.metric("lambdaRatio", rnns, lambdaRatio[c]);
            plot.series("jacobianNormByT", rnns, CASES[c] + " the bound");
        }
        reporter.plot(plot.series("boundDeltaPowT", Labels.NONE, "delta^T").build());
        reporter.answer("boundHolds", excess <= 1e-12);
        reporter.answer("outsideNote", "outside the bound nothing is guaranteed: the Jacobian may exceed delta^T ("
                + above[1] + " of " + steps + " steps here) and still vanish through saturation of sigma; the "
                + "condition is sufficient for vanishing gradients, not necessary");
        reporter.metric("trials", trials);
        reporter.verify("boundExcess", Math.max(0, excess), 1e-9);

        // The product formula against central finite differences of h_T with respect to h_0.
        Rnn fd = Rnn.random(rnd, h, delta / gamma, tanh);
        int tFd = Math.min(steps, 5);
        double[][] xs = new double[tFd][];
        for (int t = 0; t < tFd; t++) {
            xs[t] = gaussian(rnd, h);
        }
        double[] h0 = act(gaussian(rnd, h), tanh);
        DMatrixRMaj jac = fd.jacobian(h0, xs);
        double eps = 1e-6;
        double fdErr = 0;
        for (int j = 0; j < h; j++) {
            double[] plus = h0.clone();
            double[] minus = h0.clone();
            plus[j] += eps;
            minus[j] -= eps;
            double[] hp = fd.unroll(plus, xs);
            double[] hm = fd.unroll(minus, xs);
            for (int i = 0; i < h; i++) {
                fdErr = Math.max(fdErr, Math.abs((hp[i] - hm[i]) / (2 * eps) - jac.get(i, j)));
            }
        }
        reporter.verify("jacobianFiniteDifferenceError", fdErr, 1e-6);
    }

    private static void track(Rnn rnn, Random rnd, int steps, double[] maxNorm, boolean tanh) {
        double[] state = act(gaussian(rnd, rnn.w.numRows), tanh);
        DMatrixRMaj jac = CommonOps_DDRM.identity(rnn.w.numRows);
        for (int t = 1; t <= steps; t++) {
            double[] a = rnn.pre(state, gaussian(rnd, rnn.w.numRows));
            jac = rnn.step(a, jac);
            state = act(a, tanh);
            maxNorm[t] = Math.max(maxNorm[t], NormOps_DDRM.normP2(jac));
        }
    }

    static double lambdaMax(DMatrixRMaj w) {
        DMatrixRMaj wtw = new DMatrixRMaj(w.numCols, w.numCols);
        CommonOps_DDRM.multTransA(w, w, wtw);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(w.numCols, false, true);
        if (!eig.decompose(wtw)) {
            throw new IllegalStateException("eigen decomposition of W^T W failed");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            max = Math.max(max, eig.getEigenvalue(i).getReal());
        }
        return max;
    }

    static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    static double[] act(double[] a, boolean tanh) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = tanh ? Math.tanh(a[i]) : 1 / (1 + Math.exp(-a[i]));
        }
        return out;
    }

    static double actDerivative(double a, boolean tanh) {
        if (tanh) {
            double t = Math.tanh(a);
            return 1 - t * t;
        }
        double s = 1 / (1 + Math.exp(-a));
        return s * (1 - s);
    }

    /** One RNN: h_t = sigma(W h_{t-1} + U x_t + b). */
    record Rnn(DMatrixRMaj w, DMatrixRMaj u, double[] b, boolean tanh) {

        /** Random weights; W rescaled so that sqrt(lambda_1(W^T W)) = spectralNorm. */
        static Rnn random(Random rnd, int h, double spectralNorm, boolean tanh) {
            DMatrixRMaj w = new DMatrixRMaj(h, h, true, gaussian(rnd, h * h));
            CommonOps_DDRM.scale(spectralNorm / Math.sqrt(lambdaMax(w)), w);
            DMatrixRMaj u = new DMatrixRMaj(h, h, true, gaussian(rnd, h * h));
            CommonOps_DDRM.scale(0.5 / Math.sqrt(h), u);
            double[] b = gaussian(rnd, h);
            for (int i = 0; i < h; i++) {
                b[i] *= 0.1;
            }
            return new Rnn(w, u, b, tanh);
        }

        double[] pre(double[] hPrev, double[] x) {
            double[] a = b.clone();
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a.length; j++) {
                    a[i] += w.get(i, j) * hPrev[j] + u.get(i, j) * x[j];
                }
            }
            return a;
        }

        /** diag(sigma'(a)) W J. */
        DMatrixRMaj step(double[] a, DMatrixRMaj jac) {
            DMatrixRMaj next = new DMatrixRMaj(w.numRows, jac.numCols);
            CommonOps_DDRM.mult(w, jac, next);
            for (int i = 0; i < next.numRows; i++) {
                double d = actDerivative(a[i], tanh);
                for (int j = 0; j < next.numCols; j++) {
                    next.set(i, j, next.get(i, j) * d);
                }
            }
            return next;
        }

        double[] unroll(double[] h0, double[][] xs) {
            double[] state = h0;
            for (double[] x : xs) {
                state = act(pre(state, x), tanh);
            }
            return state;
        }

        DMatrixRMaj jacobian(double[] h0, double[][] xs) {
            double[] state = h0;
            DMatrixRMaj jac = CommonOps_DDRM.identity(w.numRows);
            for (double[] x : xs) {
                double[] a = pre(state, x);
                jac = step(a, jac);
                state = act(a, tanh);
            }
            return jac;
        }
    }
}
