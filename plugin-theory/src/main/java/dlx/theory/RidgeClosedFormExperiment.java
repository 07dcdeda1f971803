package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.Random;

/**
 * Ridge regression min_w (1/2n)||Xw − t||² + λ||w||²: closed form w* = (XᵀX + 2nλI)⁻¹Xᵀt (EJML
 * Cholesky solve), checked against gradient descent on random data and on the catalogue's
 * fixed example X = [[1,0],[0,1],[1,1]], t = [1,2,2], λ = 0.5.
 */
public final class RidgeClosedFormExperiment implements Experiment {
    static final double[][] EXAMPLE_X = {{1, 0}, {0, 1}, {1, 1}};
    static final double[] EXAMPLE_T = {1, 2, 2};
    static final double TOLERANCE = 1e-8;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.ridge-closed-form")
                .title("Ridge regression: closed-form solution, checked by gradient descent")
                .description("Setting the gradient (1/n)Xᵀ(Xw − t) + 2λw of (1/2n)‖Xw − t‖² + λ‖w‖² to zero gives "
                        + "w* = (XᵀX + 2nλI)⁻¹Xᵀt (note the 2n: the answer appended to the assignment has nλ, which "
                        + "minimises (1/2n)‖Xw − t‖² + (λ/2)‖w‖² instead; its gradient on the example is reported). Solved "
                        + "with EJML and compared with gradient descent on random data and on the fixed 3x2 example.")
                .param(ParamSpec.decimal("lambda", 0.5).min(0).help("λ of the fixed example"))
                .param(ParamSpec.decimal("randomLambda", 0.1).min(1e-6).help("λ of the random-data check"))
                .param(ParamSpec.integer("n", 200).quick(50).min(2).help("rows of the random design matrix"))
                .param(ParamSpec.integer("d", 8).quick(5).min(1).max(200).help("columns of the random design matrix"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        double lambda = request.params().decimal("lambda");
        double randomLambda = request.params().decimal("randomLambda");
        int n = request.params().integer("n");
        int d = request.params().integer("d");

        Random rnd = new Random(request.seed());
        double[][] x = new double[n][d];
        double[] wTrue = new double[d];
        for (int j = 0; j < d; j++) {
            wTrue[j] = rnd.nextGaussian();
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rnd.nextGaussian();
                t[i] += x[i][j] * wTrue[j];
            }
            t[i] += 0.3 * rnd.nextGaussian();
        }
        double[] closed = RidgeMath.closedForm(x, t, randomLambda);
        double[] gd = RidgeMath.gradientDescent(x, t, randomLambda, 1e-13, 2_000_000);
        double maxAbsDiff = RidgeMath.maxAbsDiff(closed, gd);

        double[] exampleW = RidgeMath.closedForm(EXAMPLE_X, EXAMPLE_T, lambda);
        double[] exampleGd = RidgeMath.gradientDescent(EXAMPLE_X, EXAMPLE_T, lambda, 1e-13, 2_000_000);
        double exampleDiff = RidgeMath.maxAbsDiff(exampleW, exampleGd);
        double[] exampleGrad = RidgeMath.gradient(EXAMPLE_X, EXAMPLE_T, lambda, exampleW);
        double gradNorm = 0;
        for (double g : exampleGrad) {
            gradNorm = Math.max(gradNorm, Math.abs(g));
        }

        // The appended answer's (XᵀX + nλI)⁻¹Xᵀt is the 2nλ formula at λ/2: not a stationary point of this objective.
        double[] withNLambda = RidgeMath.closedForm(EXAMPLE_X, EXAMPLE_T, lambda / 2);
        double nLambdaGrad = 0;
        for (double g : RidgeMath.gradient(EXAMPLE_X, EXAMPLE_T, lambda, withNLambda)) {
            nLambdaGrad = Math.max(nLambdaGrad, Math.abs(g));
        }
        reporter.answer("exampleWIfNLambda", withNLambda);
        reporter.metric("gradientIfNLambda", nLambdaGrad);

        reporter.answer("formula", RidgeMath.FORMULA);
        reporter.answer("maxAbsDiff", maxAbsDiff);
        reporter.answer("exampleW", exampleW);
        reporter.metric("randomN", n);
        reporter.metric("randomD", d);
        reporter.log(String.format("example w* = [%.6f, %.6f]; random %dx%d: max |closed − GD| = %.3g",
                exampleW[0], exampleW[1], n, d, maxAbsDiff));
        reporter.verify("randomMaxAbsDiffResidual", maxAbsDiff, TOLERANCE);
        reporter.verify("exampleMaxAbsDiffResidual", exampleDiff, TOLERANCE);
        reporter.verify("exampleGradientResidual", gradNorm, 1e-12);
    }
}
