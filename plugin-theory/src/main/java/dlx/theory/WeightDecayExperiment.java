package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.Params;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.api.Series;
import java.util.Random;

/**
 * (a) SGD on L + γ‖θ‖² steps θ ← θ − η∇L − 2ηγθ, so decoupled decay θ ← θ − η∇L − λθ is the same
 * algorithm exactly when λ = 2ηγ; checked by running both on a logistic-regression loss with
 * minibatches and by fitting λ numerically. (b) Adam with an L2 penalty divides the penalty gradient
 * by √v̂, so parameters with small gradients are decayed much harder than those with large
 * gradients; AdamW applies −ηλθ outside the normalisation, shrinking every parameter by the same
 * factor (1 − ηλ) per step. Simulated with two parameter groups whose loss gradients are zero-mean
 * noise of scale 1e-3 and 1 (common random numbers), all parameters starting at 1.
 */
public final class WeightDecayExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.weight-decay")
                .title("Weight decay: SGD equivalence λ = 2ηγ, and Adam+L2 versus AdamW")
                .description("(a) decoupled decay θ ← θ − η∇L − λθ equals SGD on L + γ‖θ‖² for λ = 2ηγ; checked on "
                        + "logistic regression and by fitting λ. (b) Adam+L2 versus AdamW on parameter groups with small "
                        + "and large gradients: relative shrinkage of each group.")
                .param(ParamSpec.decimal("eta", 0.1).min(0).help("SGD learning rate of part (a)"))
                .param(ParamSpec.decimal("gamma", 0.01).min(0).help("L2 coefficient γ of L + γ‖θ‖² in part (a)"))
                .param(ParamSpec.integer("sgdSteps", 500).quick(200).min(1).help("SGD steps of part (a)"))
                .param(ParamSpec.decimal("adamLr", 1e-3).min(0).help("Adam learning rate of part (b)"))
                .param(ParamSpec.decimal("adamDecay", 0.1).min(0).help("decay / L2 coefficient of part (b)"))
                .param(ParamSpec.integer("adamSteps", 1000).min(1).help("Adam steps of part (b)"))
                .param(ParamSpec.integer("paramsPerGroup", 2000).quick(200).min(2).help("parameters per group in (b)"))
                .param(ParamSpec.decimal("smallGradScale", 1e-3).min(0).help("gradient noise scale of the small group"))
                .param(ParamSpec.decimal("largeGradScale", 1.0).min(0).help("gradient noise scale of the large group"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        partA(request.params(), reporter);
        partB(request.params(), reporter);
    }

    // ---- (a) -------------------------------------------------------------------------------------

    private void partA(Params params, RunReporter reporter) {
        double eta = params.decimal("eta");
        double gamma = params.decimal("gamma");
        int steps = params.integer("sgdSteps");
        Random rnd = new Random(params.seed());
        int n = 64;
        int d = 5;
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x[i][j] = rnd.nextGaussian();
                s += x[i][j] * (j + 1 - d / 2.0);
            }
            y[i] = s + rnd.nextGaussian() > 0 ? 1 : -1;
        }
        int batch = 8;
        int[][] batches = new int[steps][batch];
        for (int k = 0; k < steps; k++) {
            for (int b = 0; b < batch; b++) {
                batches[k][b] = rnd.nextInt(n);
            }
        }
        double[] theta0 = new double[d];
        for (int j = 0; j < d; j++) {
            theta0[j] = 3 * rnd.nextGaussian();
        }

        double lambda = 2 * eta * gamma;
        double trajectoryResidual = trajectoryMismatch(x, y, batches, theta0, eta, gamma, lambda, true);
        double wrongMismatch = trajectoryMismatch(x, y, batches, theta0, eta, gamma, eta * gamma, false);

        // Fit λ numerically: the decoupled run that ends closest to the L2 run (golden section).
        double lo = 0;
        double hi = 10 * Math.max(eta * gamma, 1e-12);
        double g = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 120; i++) {
            double c = hi - g * (hi - lo);
            double e = lo + g * (hi - lo);
            if (trajectoryMismatch(x, y, batches, theta0, eta, gamma, c, false)
                    < trajectoryMismatch(x, y, batches, theta0, eta, gamma, e, false)) {
                hi = e;
            } else {
                lo = c;
            }
        }
        double fitted = (lo + hi) / 2;

        reporter.answer("lambdaFormula", "λ = 2ηγ  (SGD on L + γ‖θ‖²: θ ← θ − η(∇L + 2γθ) = θ − η∇L − 2ηγθ)");
        reporter.answer("exampleLambda", lambda);
        reporter.answer("fittedLambda", fitted);
        reporter.metric("mismatchIfLambdaIsEtaGamma", wrongMismatch);
        reporter.verify("sgdTrajectoryResidual", trajectoryResidual, 1e-12);
        reporter.verify("fittedLambdaRelResidual", lambda == 0 ? Math.abs(fitted) : Math.abs(fitted - lambda) / lambda, 1e-4);
    }

    /** Max |θ_decoupled − θ_L2| over the trajectory (or at the end only). */
    private static double trajectoryMismatch(double[][] x, double[] y, int[][] batches, double[] theta0,
                                             double eta, double gamma, double lambda, boolean wholeTrajectory) {
        double[] a = theta0.clone();
        double[] b = theta0.clone();
        double worst = 0;
        for (int[] batch : batches) {
            double[] ga = logisticGradient(x, y, batch, a);
            double[] gb = logisticGradient(x, y, batch, b);
            for (int j = 0; j < a.length; j++) {
                a[j] = a[j] - eta * ga[j] - lambda * a[j];
                b[j] = b[j] - eta * (gb[j] + 2 * gamma * b[j]);
            }
            if (wholeTrajectory) {
                worst = Math.max(worst, RidgeMath.maxAbsDiff(a, b));
            }
        }
        return Math.max(worst, RidgeMath.maxAbsDiff(a, b));
    }

    private static double[] logisticGradient(double[][] x, double[] y, int[] batch, double[] theta) {
        double[] g = new double[theta.length];
        for (int i : batch) {
            double margin = 0;
            for (int j = 0; j < theta.length; j++) {
                margin += x[i][j] * theta[j];
            }
            margin *= y[i];
            double coef = -y[i] / (1 + Math.exp(margin)) / batch.length;
            for (int j = 0; j < theta.length; j++) {
                g[j] += coef * x[i][j];
            }
        }
        return g;
    }

    // ---- (b) -------------------------------------------------------------------------------------

    private void partB(Params params, RunReporter reporter) {
        double lr = params.decimal("adamLr");
        double decay = params.decimal("adamDecay");
        int steps = params.integer("adamSteps");
        int p = params.integer("paramsPerGroup");
        double[] scales = {params.decimal("smallGradScale"), params.decimal("largeGradScale")};
        String[] names = {"small", "large"};
        boolean[] decoupled = {false, true};
        String[] optimiser = {"adamL2", "adamW"};
        double[][] shrink = new double[2][2];
        double[][] stdErr = new double[2][2];
        double[][] meanRatio = new double[2][2];
        int every = Math.max(1, steps / 100);
        for (int o = 0; o < 2; o++) {
            for (int gi = 0; gi < 2; gi++) {
                // Common random numbers: both groups and both optimisers see the same noise sequence.
                Random rnd = new Random(params.seed() + 1);
                double[] theta = new double[p];
                double[] m = new double[p];
                double[] v = new double[p];
                java.util.Arrays.fill(theta, 1.0);
                Labels labels = Labels.of("optimiser", optimiser[o], "gradients", names[gi]);
                Series meanTheta = reporter.series("meanTheta", labels).add(0, 1.0);
                for (int k = 1; k <= steps; k++) {
                    double bc1 = 1 - Math.pow(0.9, k);
                    double bc2 = 1 - Math.pow(0.999, k);
                    double mean = 0;
                    for (int i = 0; i < p; i++) {
                        double grad = scales[gi] * rnd.nextGaussian();
                        if (!decoupled[o]) {
                            grad += decay * theta[i];
                        }
                        m[i] = 0.9 * m[i] + 0.1 * grad;
                        v[i] = 0.999 * v[i] + 0.001 * grad * grad;
                        double update = (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + 1e-8);
                        theta[i] -= lr * update;
                        if (decoupled[o]) {
                            theta[i] -= lr * decay * theta[i];
                        }
                        mean += theta[i];
                    }
                    if (k % every == 0 || k == steps) {
                        meanTheta.add(k, mean / p);
                    }
                }
                double mean = 0;
                for (double t : theta) {
                    mean += t;
                }
                mean /= p;
                double var = 0;
                for (double t : theta) {
                    var += (t - mean) * (t - mean);
                }
                meanRatio[o][gi] = mean;
                shrink[o][gi] = 1 - mean;
                stdErr[o][gi] = Math.sqrt(var / (p - 1) / p);
                reporter.metric("shrink", labels, shrink[o][gi]);
            }
        }
        String l2Stronger = shrink[0][0] > shrink[0][1] ? "small" : "large";
        double wDiff = Math.abs(shrink[1][0] - shrink[1][1]);
        double wScale = Math.max(shrink[1][0], shrink[1][1]);
        String wStronger = wDiff <= 0.02 * wScale + 3 * Math.hypot(stdErr[1][0], stdErr[1][1])
                ? "equal" : (shrink[1][0] > shrink[1][1] ? "small" : "large");

        // AdamW: the Adam step does not depend on θ and has zero mean, so E[θ_K]/θ_0 = (1 − ηλ)^K exactly.
        double closedAdamW = Math.pow(1 - lr * decay, steps);
        double residual = 0;
        double tolerance = 0;
        for (int gi = 0; gi < 2; gi++) {
            residual = Math.max(residual, Math.abs(meanRatio[1][gi] - closedAdamW));
            tolerance = Math.max(tolerance, 5 * stdErr[1][gi]);
        }
        tolerance = Math.max(tolerance, 1e-9);

        reporter.answer("adamL2StrongerOn", l2Stronger);
        reporter.answer("adamWStrongerOn", wStronger);
        reporter.answer("adamWFormula", "AdamW: E[θ_K] = (1 − ηλ)^K θ_0 for every parameter, whatever its gradient scale");
        reporter.answer("adamExplanation", "Adam+L2 feeds λθ through the adaptive normalisation m̂/√v̂: where loss gradients "
                + "are small, √v̂ is small and the penalty gradient dominates, giving a decay step of about η per step "
                + "(strong); where gradients are large, λθ/√v̂ is tiny (weak). AdamW applies −ηλθ outside the "
                + "normalisation, so every parameter shrinks by the same factor (1 − ηλ) per step.");
        reporter.answer("adamWClosedFormRatio", closedAdamW);
        reporter.metric("paramsPerGroup", p);
        reporter.metric("adamWTolerance", tolerance);
        reporter.verify("adamWClosedFormResidual", residual, tolerance);
        reporter.plot(LinePlot.builder("adam-decay.png", "Mean parameter (start 1) under Adam+L2 and AdamW", "step",
                "mean θ").everyLabelSet("meanTheta").build());
        reporter.log(String.format("shrink: Adam+L2 small %.4f large %.4f; AdamW small %.4f large %.4f (closed form %.4f)",
                shrink[0][0], shrink[0][1], shrink[1][0], shrink[1][1], 1 - closedAdamW));
    }
}
