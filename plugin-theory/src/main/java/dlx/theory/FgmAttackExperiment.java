package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.List;
import java.util.Random;

/**
 * FGM without the sign on a linear model f(x; w) = wᵀx + b: ∇ₓf = w, x′ = x − εw, so
 * f(x′) = wᵀx + b − ε‖w‖₂² = f(x) − ε‖w‖₂² (exact, the model being linear), and f(x′) = 0 at
 * ε = f(x)/‖w‖₂². Checked by direct evaluation with a finite-difference gradient.
 */
public final class FgmAttackExperiment implements Experiment {
    static final double TOLERANCE = 1e-8;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.fgm-attack")
                .title("FGM on a linear model: closed form of f(x′)")
                .description("x′ = x − ε∇ₓf(x; w) with f(x; w) = wᵀx + b gives f(x′) = f(x) − ε‖w‖₂². Evaluated directly "
                        + "(finite-difference gradient, explicit x′) on the example and on random w, x, ε.")
                .param(ParamSpec.list("w", ParamType.DOUBLE_LIST, "1,-2,0.5").help("weights of the example"))
                .param(ParamSpec.list("x", ParamType.DOUBLE_LIST, "2,0.5,1").help("input of the example"))
                .param(ParamSpec.decimal("b", 0.0).help("bias of the example"))
                .param(ParamSpec.decimal("epsilon", 0.1).min(0).help("FGM step ε"))
                .param(ParamSpec.integer("trials", 2000).quick(300).min(1).help("random checks"))
                .build();
    }

    static double f(double[] w, double b, double[] x) {
        return FgsmBoundExperiment.f(w, x) + b;
    }

    /** Direct evaluation: gradient by central differences, explicit x′, then f(x′). */
    static double attackedDirect(double[] w, double b, double[] x, double eps) {
        double[] grad = new double[x.length];
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[i] += h;
            m[i] -= h;
            grad[i] = (f(w, b, p) - f(w, b, m)) / (2 * h);
        }
        double[] xPrime = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xPrime[i] = x[i] - eps * grad[i];
        }
        return f(w, b, xPrime);
    }

    static double closedForm(double[] w, double b, double[] x, double eps) {
        return f(w, b, x) - eps * FgsmBoundExperiment.f(w, w);
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        double[] w = toArray(request.params().doubleList("w"));
        double[] x = toArray(request.params().doubleList("x"));
        if (w.length != x.length) {
            throw new IllegalArgumentException("w and x must have the same length");
        }
        double b = request.params().decimal("b");
        double eps = request.params().decimal("epsilon");
        int trials = request.params().integer("trials");

        double fx = f(w, b, x);
        double wNorm2 = FgsmBoundExperiment.f(w, w);
        double closed = closedForm(w, b, x, eps);
        double direct = attackedDirect(w, b, x, eps);
        double residual = Math.abs(closed - direct) / Math.max(1, Math.abs(closed));

        Random rnd = new Random(request.seed());
        for (int t = 0; t < trials; t++) {
            int dim = 1 + rnd.nextInt(20);
            double[] rw = new double[dim];
            double[] rx = new double[dim];
            for (int i = 0; i < dim; i++) {
                rw[i] = rnd.nextGaussian();
                rx[i] = rnd.nextGaussian();
            }
            double rb = rnd.nextGaussian();
            double re = 2 * rnd.nextDouble();
            double c = closedForm(rw, rb, rx, re);
            residual = Math.max(residual, Math.abs(c - attackedDirect(rw, rb, rx, re)) / Math.max(1, Math.abs(c)));
        }

        reporter.answer("formula", "f(x′) = wᵀx + b − ε‖w‖₂² = f(x) − ε‖w‖₂²  (x′ = x − εw; f(x′) = 0 at ε = f(x)/‖w‖₂²)");
        reporter.answer("exampleF", fx);
        reporter.answer("exampleFAttacked", closed);
        reporter.answer("exampleFAttackedDirect", direct);
        reporter.answer("exampleWNormSquared", wNorm2);
        reporter.answer("exampleEpsilonToZero", fx / wNorm2);
        reporter.metric("trials", trials);
        reporter.verify("directEvaluationRelResidual", residual, TOLERANCE);
        reporter.log(String.format("f(x) = %.6f, f(x′) = %.6f (direct %.6f), ε to zero = %.6f", fx, closed, direct, fx / wNorm2));
    }

    private static double[] toArray(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
