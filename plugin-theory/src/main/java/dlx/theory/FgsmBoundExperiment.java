package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.Random;

/**
 * For a linear f(x) = wᵀx, ∇ₓf = w: δ1 = ε·sgn(w) has ‖δ1‖∞ = ε for every w ≠ 0, δ2 = ε·w has
 * ‖δ2‖∞ = ε‖w‖∞; the two are equal exactly when ‖w‖∞ = 1. The sign guarantees the perturbation
 * lies on the ℓ∞ ball of radius ε whatever the gradient's scale, and within that ball it is the
 * one that changes f most (wᵀδ1 = ε‖w‖₁). Checked by direct evaluation on random w of very
 * different scales, with ∇ₓf taken by central finite differences.
 */
public final class FgsmBoundExperiment implements Experiment {
    static final double TOLERANCE = 1e-9;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.fgsm-bound")
                .title("FGSM versus plain gradient step: ℓ∞ norms of the perturbations")
                .description("δ1 = ε·sgn(∇ₓf) and δ2 = ε·∇ₓf for f(x) = wᵀx: ‖δ1‖∞ = ε, ‖δ2‖∞ = ε‖w‖∞, equal iff "
                        + "‖w‖∞ = 1; sgn keeps the attack exactly on the ε ball and maximises the first-order change "
                        + "ε‖w‖₁ within it. Checked on random w (scales 1e-2 to 1e2) and random δ in the ball.")
                .param(ParamSpec.decimal("epsilon", 0.1).min(0).help("attack size ε"))
                .param(ParamSpec.integer("dim", 10).min(1).max(10_000).help("input dimension"))
                .param(ParamSpec.integer("trials", 2000).quick(300).min(1).help("random w to check"))
                .build();
    }

    static double f(double[] w, double[] x) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
        }
        return s;
    }

    /** ∇ₓf by central finite differences at x. */
    static double[] numericalGradient(double[] w, double[] x) {
        double[] g = new double[x.length];
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[i] += h;
            m[i] -= h;
            g[i] = (f(w, p) - f(w, m)) / (2 * h);
        }
        return g;
    }

    static double linf(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        double eps = request.params().decimal("epsilon");
        int dim = request.params().integer("dim");
        int trials = request.params().integer("trials");
        Random rnd = new Random(request.seed());

        double signResidual = 0;
        double plainResidual = 0;
        double equalityResidual = 0;
        double maximalityViolation = 0;
        double l1Residual = 0;
        int outsideBall = 0;
        double exampleSign = 0;
        double examplePlain = 0;
        double exampleWinf = 0;
        for (int trial = 0; trial < trials; trial++) {
            // Trial 0 (the reported example) draws w ~ N(0, I); the others span scales 1e-2 to 1e2.
            double scale = trial == 0 ? 1 : Math.pow(10, -2 + 4 * rnd.nextDouble());
            double[] w = new double[dim];
            double[] x = new double[dim];
            for (int i = 0; i < dim; i++) {
                w[i] = scale * rnd.nextGaussian();
                x[i] = rnd.nextGaussian();
            }
            double[] grad = numericalGradient(w, x);
            double[] d1 = new double[dim];
            double[] d2 = new double[dim];
            for (int i = 0; i < dim; i++) {
                d1[i] = eps * Math.signum(grad[i]);
                d2[i] = eps * grad[i];
            }
            double winf = linf(w);
            signResidual = Math.max(signResidual, Math.abs(linf(d1) - eps));
            plainResidual = Math.max(plainResidual, Math.abs(linf(d2) - eps * winf) / Math.max(1e-300, eps * winf));
            if (linf(d2) > eps * (1 + 1e-12)) {
                outsideBall++;
            }
            // Rescaled to ‖w‖∞ = 1 the two norms coincide.
            double[] wUnit = new double[dim];
            for (int i = 0; i < dim; i++) {
                wUnit[i] = w[i] / winf;
            }
            double[] gUnit = numericalGradient(wUnit, x);
            double n1 = 0;
            double n2 = 0;
            for (int i = 0; i < dim; i++) {
                n1 = Math.max(n1, Math.abs(eps * Math.signum(gUnit[i])));
                n2 = Math.max(n2, Math.abs(eps * gUnit[i]));
            }
            equalityResidual = Math.max(equalityResidual, Math.abs(n1 - n2));
            // sgn is the best first-order attack inside the ball: compare with random δ, ‖δ‖∞ ≤ ε.
            double gain1 = f(w, d1);
            double l1 = 0;
            for (double v : w) {
                l1 += Math.abs(v);
            }
            l1Residual = Math.max(l1Residual, Math.abs(gain1 - eps * l1) / Math.max(1e-300, eps * l1));
            for (int k = 0; k < 20; k++) {
                double[] delta = new double[dim];
                for (int i = 0; i < dim; i++) {
                    delta[i] = k % 2 == 0 ? eps * (2 * rnd.nextDouble() - 1) : (rnd.nextBoolean() ? eps : -eps);
                }
                maximalityViolation = Math.max(maximalityViolation, (f(w, delta) - gain1) / Math.max(1e-300, eps * l1));
            }
            if (trial == 0) {
                exampleSign = linf(d1);
                examplePlain = linf(d2);
                exampleWinf = winf;
            }
        }

        reporter.answer("linfSign", exampleSign);
        reporter.answer("linfPlain", examplePlain);
        reporter.answer("exampleWLinf", exampleWinf);
        reporter.answer("linfSignFormula", "‖δ1‖∞ = ‖ε·sgn(w)‖∞ = ε for every w ≠ 0");
        reporter.answer("linfPlainFormula", "‖δ2‖∞ = ‖ε·w‖∞ = ε·‖w‖∞ = ε·maxᵢ|wᵢ|");
        reporter.answer("equalWhen", "‖δ1‖∞ = ‖δ2‖∞ exactly when ‖w‖∞ = maxᵢ|wᵢ| = 1 (or ε = 0); δ1 = δ2 as vectors only "
                + "when every non-zero |wᵢ| = 1");
        reporter.answer("signGuarantees", "whatever the scale of ∇ₓf, the FGSM step lies exactly on the ℓ∞ ball of radius ε "
                + "(‖δ1‖∞ = ε), and it is the perturbation in that ball that increases f the most: "
                + "wᵀδ1 = ε‖w‖₁ = max over ‖δ‖∞ ≤ ε of wᵀδ; the plain step leaves the ball when ‖w‖∞ > 1 and wastes "
                + "budget when ‖w‖∞ < 1");
        reporter.metric("trials", trials);
        reporter.metric("plainOutsideBallFraction", (double) outsideBall / trials);
        reporter.verify("linfSignResidual", signResidual, TOLERANCE);
        reporter.verify("linfPlainRelResidual", plainResidual, 1e-6);
        reporter.verify("equalAtUnitLinfResidual", equalityResidual, 1e-6);
        reporter.verify("signGainL1RelResidual", l1Residual, 1e-9);
        reporter.verify("signMaximalityViolation", Math.max(0, maximalityViolation), 1e-9);
    }
}
