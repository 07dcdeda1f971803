package dlx.theory;

import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Params;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The 1-D model f(x; w) = w·x fitted by ridge (1/2n)Σ(w xᵢ − tᵢ)² + λw², w*(λ) = Σxᵢtᵢ / (Σxᵢ² + 2nλ),
 * then attacked at one input: the smallest ε with f(x′) = 0. Shared by the FGM and FGSM experiments;
 * the closed form is compared with a numerical attack (gradient descent for w*, a central finite
 * difference for ∇ₓf, bisection on ε).
 */
final class RidgeAttack1d {
    static final double TOLERANCE = 1e-8;

    /** Which attack direction: the plain gradient (FGM) or its sign (FGSM). */
    enum Attack { FGM, FGSM }

    private RidgeAttack1d() { }

    static ExperimentSpec.Builder params(ExperimentSpec.Builder b) {
        return b.param(ParamSpec.list("trainX", ParamType.DOUBLE_LIST, "1,2").help("training inputs"))
                .param(ParamSpec.list("trainT", ParamType.DOUBLE_LIST, "1,3").help("training targets"))
                .param(ParamSpec.decimal("x", 1.5).help("the attacked input"))
                .param(ParamSpec.decimal("lambda", 0.1).min(0).help("λ of the example"))
                .param(ParamSpec.decimal("lambdaMax", 2.0).min(0.01).help("largest λ of the sweep"))
                .param(ParamSpec.integer("lambdaSteps", 40).quick(20).min(2).help("points of the λ sweep"));
    }

    /** The closed-form ridge weight Σxt / (Σx² + 2nλ). */
    static double ridgeWeight(double[] xs, double[] ts, double lambda) {
        double sxt = 0;
        double sxx = 0;
        for (int i = 0; i < xs.length; i++) {
            sxt += xs[i] * ts[i];
            sxx += xs[i] * xs[i];
        }
        return sxt / (sxx + 2 * xs.length * lambda);
    }

    /** Closed-form ε: FGM x/w* ; FGSM x·sgn(w*). */
    static double closedFormEpsilon(Attack attack, double[] xs, double[] ts, double x, double lambda) {
        double w = ridgeWeight(xs, ts, lambda);
        return attack == Attack.FGM ? x / w : x * Math.signum(w);
    }

    /** The numerical answer: w* by gradient descent, ∇ₓf by central differences, ε by bisection. */
    static double numericalEpsilon(Attack attack, double[] xs, double[] ts, double x, double lambda) {
        double[][] design = new double[xs.length][1];
        for (int i = 0; i < xs.length; i++) {
            design[i][0] = xs[i];
        }
        double w = RidgeMath.gradientDescent(design, ts, lambda, 1e-14, 1_000_000)[0];
        DoubleUnaryOperator f = z -> w * z;
        double h = 1e-4;
        double grad = (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
        double direction = attack == Attack.FGM ? grad : Math.signum(grad);
        DoubleUnaryOperator attacked = eps -> f.applyAsDouble(x - eps * direction);
        double f0 = attacked.applyAsDouble(0);
        if (f0 == 0) {
            return 0;
        }
        // Search ε > 0 first; when x sits on the other side of the boundary the root is at ε < 0.
        double lo = 0;
        double hi = Double.NaN;
        for (double side : new double[] {1, -1}) {
            lo = 0;
            double probe = side * 1e-3;
            while (Math.abs(probe) <= 1e12 && Math.signum(attacked.applyAsDouble(probe)) == Math.signum(f0)) {
                lo = probe;
                probe *= 2;
            }
            if (Math.abs(probe) <= 1e12) {
                hi = probe;
                break;
            }
        }
        if (Double.isNaN(hi)) {
            throw new IllegalStateException("no |ε| up to 1e12 brings f(x′) to 0 (λ = " + lambda + ")");
        }
        for (int i = 0; i < 200 && Math.abs(hi - lo) > 1e-15 * Math.abs(hi); i++) {
            double mid = 0.5 * (lo + hi);
            if (Math.signum(attacked.applyAsDouble(mid)) == Math.signum(f0)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** Runs the example and the λ sweep, records answers, series, plot and residuals. */
    static void run(Params params, RunReporter reporter, Attack attack) {
        double[] xs = params.doubleList("trainX").stream().mapToDouble(Double::doubleValue).toArray();
        double[] ts = params.doubleList("trainT").stream().mapToDouble(Double::doubleValue).toArray();
        if (xs.length != ts.length || xs.length == 0) {
            throw new IllegalArgumentException("trainX and trainT must have the same, non-zero length");
        }
        double x = params.decimal("x");
        double lambda = params.decimal("lambda");
        double lambdaMax = params.decimal("lambdaMax");
        int steps = params.integer("lambdaSteps");

        double example = closedFormEpsilon(attack, xs, ts, x, lambda);
        double exampleNumeric = numericalEpsilon(attack, xs, ts, x, lambda);
        double residual = Math.abs(example - exampleNumeric) / Math.max(1, Math.abs(example));

        List<double[]> curve = new ArrayList<>();
        List<double[]> numericCurve = new ArrayList<>();
        boolean increasing = true;
        boolean constant = true;
        for (int i = 0; i <= steps; i++) {
            double l = lambdaMax * i / steps;
            double eps = closedFormEpsilon(attack, xs, ts, x, l);
            double epsNumeric = numericalEpsilon(attack, xs, ts, x, l);
            residual = Math.max(residual, Math.abs(eps - epsNumeric) / Math.max(1, Math.abs(eps)));
            if (!numericCurve.isEmpty()) {
                double prev = numericCurve.get(numericCurve.size() - 1)[1];
                // Robustness is the size |ε| of the attack needed (ε < 0 when x is on the negative side).
                increasing &= Math.abs(epsNumeric) > Math.abs(prev) + 1e-9;
                constant &= Math.abs(Math.abs(epsNumeric) - Math.abs(prev)) <= 1e-9;
            }
            numericCurve.add(new double[] {l, epsNumeric});
            curve.add(new double[] {l, eps});
            reporter.series("epsilonByLambda").add(l, eps);
        }
        // Decided from the numerical attack, not from the formula.
        boolean moreRobust = increasing && !constant;

        reporter.answer("exampleEpsilon", example);
        reporter.answer("exampleWeight", ridgeWeight(xs, ts, lambda));
        reporter.answer("moreRobustWithWeightDecay", moreRobust);
        reporter.answer("epsilonByLambda", curve);
        reporter.metric("exampleEpsilonNumeric", exampleNumeric);
        reporter.verify("epsilonMaxRelResidual", residual, TOLERANCE);
        String name = attack == Attack.FGM ? "FGM" : "FGSM";
        reporter.plot(PlotSpec.lines("epsilon-by-lambda.png", name + ": ε needed for f(x′) = 0 versus λ", "λ", "ε",
                "epsilonByLambda"));
        reporter.log(String.format("%s: ε(λ=%s) = %.6f (numerical %.6f); more robust with weight decay: %s",
                name, lambda, example, exampleNumeric, moreRobust));
    }
}
