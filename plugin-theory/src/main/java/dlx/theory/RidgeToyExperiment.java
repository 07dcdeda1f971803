package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The toy data set {((1,1),1), ((−1,−1),−1)}: both examples say w1 + w2 = 1, so the least-squares
 * solutions form a line in weight space; its minimum-norm point is (1/2, 1/2). Ridge with any
 * λ > 0 is strictly convex, so its solution w_λ = (1, 1)/(2(1 + λ)) is unique and tends to the
 * minimum-norm point as λ → 0. Checked with the EJML pseudo-inverse, gradient descent from zero
 * and from other starts, and EJML ridge solves.
 */
public final class RidgeToyExperiment implements Experiment {
    static final double[][] X = {{1, 1}, {-1, -1}};
    static final double[] T = {1, -1};
    static final double TOLERANCE = 1e-9;
    static final String PLOT = "ridge-toy.png";
    /**
     * The ridge solutions in weight space, (w1, w2) for each λ: recorded rather than given as fixed
     * points, so that result.json keeps the path (and the platform draws a line plot only when it
     * holds at least one recorded series).
     */
    static final String PATH = "ridgePath";

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.ridge-toy")
                .title("Ridge on a two-point toy set: solution line, minimum-norm point, uniqueness")
                .description("Least squares on {((1,1),1), ((−1,−1),−1)} is solved by every w on the line w1 + w2 = 1; "
                        + "the minimum-norm point is (1/2, 1/2). Ridge (1/2n)‖Xw − t‖² + λ‖w‖² has the unique solution "
                        + "(1,1)/(2(1+λ)) for every λ > 0, which tends to the minimum-norm point as λ → 0. Plots the line, "
                        + "contours of wᵀw and the ridge path.")
                .param(ParamSpec.list("lambdas", ParamType.DOUBLE_LIST, "0.001,0.01,0.1,0.25,0.5,1,2,4")
                        .min(1e-9).help("λ values of the ridge path"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        List<Double> lambdas = request.params().doubleList("lambdas");
        double[] minNorm = {0.5, 0.5};

        // Check 1: EJML pseudo-inverse (minimum-norm least-squares solution).
        DMatrixRMaj xm = new DMatrixRMaj(X);
        DMatrixRMaj pinv = new DMatrixRMaj(2, 2);
        CommonOps_DDRM.pinv(xm, pinv);
        DMatrixRMaj wPinv = new DMatrixRMaj(2, 1);
        CommonOps_DDRM.mult(pinv, new DMatrixRMaj(2, 1, true, T), wPinv);
        double pinvResidual = RidgeMath.maxAbsDiff(wPinv.getData(), minNorm);

        // Check 2: gradient descent on plain least squares from w = 0 stays in the row space span{(1,1)}.
        double[] gdFromZero = descend(0, new double[] {0, 0});
        double gdResidual = RidgeMath.maxAbsDiff(gdFromZero, minNorm);

        // Check 3: from other starts, least squares ends at other points of the line (not unique) ...
        double[] start = {1.5, -1.5};
        double[] lsOther = descend(0, start);
        double lineResidual = Math.abs(lsOther[0] + lsOther[1] - 1);
        double lsSpread = RidgeMath.maxAbsDiff(lsOther, gdFromZero);
        // ... while ridge ends at the same point from every start (unique).
        double ridgeLambda = lambdas.get(lambdas.size() / 2);
        double[] ridgeA = descend(ridgeLambda, new double[] {0, 0});
        double[] ridgeB = descend(ridgeLambda, start);
        double ridgeUniquenessResidual = RidgeMath.maxAbsDiff(ridgeA, ridgeB);

        // Check 4: EJML ridge solves against the closed form (1,1)/(2(1+λ)) along the path.
        double pathResidual = 0;
        for (double lambda : lambdas) {
            double[] w = RidgeMath.closedForm(X, T, lambda);
            double closed = 1.0 / (2 * (1 + lambda));
            pathResidual = Math.max(pathResidual, Math.max(Math.abs(w[0] - closed), Math.abs(w[1] - closed)));
            reporter.series(PATH).add(w[0], w[1]);
            reporter.series("ridgeW1ByLambda").add(lambda, w[0]);
        }
        double smallestLambda = lambdas.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double[] nearZero = RidgeMath.closedForm(X, T, smallestLambda);
        double limitGap = RidgeMath.maxAbsDiff(nearZero, minNorm);

        reporter.answer("minNormPoint", minNorm);
        reporter.answer("solutionLine", "w1 + w2 = 1 (both examples give the same equation; XᵀX = [[2,2],[2,2]] is singular)");
        reporter.answer("ridgeSolution", "w_λ = (1, 1) / (2(1 + λ))");
        reporter.answer("leastSquaresUnique", lsSpread < 1e-9);
        reporter.answer("uniqueness", "Without regularisation the minimiser is not unique: every point of the line w1 + w2 = 1 "
                + "fits both examples exactly (the Hessian has a zero eigenvalue along (1, −1)). For every λ > 0 the ridge "
                + "objective is strictly convex (Hessian XᵀX/n + 2λI ≻ 0), so its solution is unique; it lies on the "
                + "diagonal w1 = w2 and tends to the minimum-norm point (1/2, 1/2) as λ → 0.");
        reporter.answer("ridgeUniqueFromAnyStart", ridgeUniquenessResidual < 1e-9);
        reporter.metric("ridgeGapToMinNormAtSmallestLambda", limitGap);
        reporter.metric("leastSquaresSpreadBetweenStarts", lsSpread);
        reporter.verify("pinvResidual", pinvResidual, TOLERANCE);
        reporter.verify("gradientDescentFromZeroResidual", gdResidual, TOLERANCE);
        reporter.verify("otherStartOnLineResidual", lineResidual, TOLERANCE);
        reporter.verify("ridgeUniquenessResidual", ridgeUniquenessResidual, TOLERANCE);
        reporter.verify("ridgePathResidual", pathResidual, 1e-12);

        reporter.plot(weightSpacePlot(lsOther));
        reporter.plot(PlotSpec.lines("ridge-path.png", "Ridge solution w1 = w2 versus λ", "λ", "w1",
                "ridgeW1ByLambda").withLogX());
    }

    /** Gradient descent on (1/2n)‖Xw − t‖² + λ‖w‖² from {@code start}. */
    private static double[] descend(double lambda, double[] start) {
        double[] w = start.clone();
        double step = 1.0 / (2 + 2 * lambda);
        for (int it = 0; it < 200_000; it++) {
            double[] g = RidgeMath.gradient(X, T, lambda, w);
            w[0] -= step * g[0];
            w[1] -= step * g[1];
            if (Math.max(Math.abs(g[0]), Math.abs(g[1])) < 1e-14) {
                break;
            }
        }
        return w;
    }

    /** Weight space: contours of wᵀw, the line of least-squares solutions, the ridge path and the solutions found. */
    private static LinePlot weightSpacePlot(double[] otherLsSolution) {
        LinePlot.Builder plot = LinePlot.builder(PLOT, "Toy ridge: solutions in weight space", "w1", "w2")
                .xRange(-1.8, 2.2)
                .yRange(-1.5, 1.9);
        for (double r : new double[] {0.25, 0.5, Math.sqrt(0.5), 1.0, 1.5}) {
            List<double[]> circle = new ArrayList<>();
            for (int i = 0; i <= 200; i++) {
                double a = 2 * Math.PI * i / 200;
                circle.add(new double[] {r * Math.cos(a), r * Math.sin(a)});
            }
            plot.line(String.format(Locale.ROOT, "wᵀw = %.3g", r * r), circle);
        }
        return plot.line("least-squares solutions w1 + w2 = 1", List.of(new double[] {-0.9, 1.9}, new double[] {2.2, -1.2}))
                .series(PATH, Labels.NONE, "ridge path (λ > 0)")
                .points("minimum-norm point (1/2, 1/2)", List.<double[]>of(new double[] {0.5, 0.5}))
                .points("least squares by GD from (1.5, −1.5)", List.<double[]>of(otherLsSolution))
                .build();
    }
}
