package dlx.theory;

import java.util.function.DoubleUnaryOperator;

/**
 * The noisy quadratic model, one independent coordinate per curvature: L(w) = Σ ½hᵢwᵢ², minibatch
 * gradient hᵢwᵢ + ξᵢ with Var ξᵢ = cᵢ/B. SGD wᵢ ← wᵢ − η(hᵢwᵢ + ξᵢ) gives, with rᵢ = (1 − ηhᵢ)²,
 * E[wᵢ,ₖ²] = rᵢᵏ wᵢ,₀² + (η²cᵢ/B)(1 − rᵢᵏ)/(1 − rᵢ) and E[Lₖ] = Σ ½hᵢ E[wᵢ,ₖ²].
 * Iterates stay Gaussian with mean (1 − ηhᵢ)ᵏwᵢ,₀, which gives the variance of Lₖ for Monte Carlo error bars.
 */
final class NqmMath {
    static final String EXPECTED_LOSS = "E[L_k] = Σᵢ ½hᵢ [ (1 − ηhᵢ)^{2k} wᵢ₀² + (η²cᵢ/B)·(1 − (1 − ηhᵢ)^{2k}) / (1 − (1 − ηhᵢ)²) ]";

    private final double[] h;
    private final double[] c;
    private final double[] w0;

    NqmMath(double[] h, double[] c, double[] w0) {
        this.h = h.clone();
        this.c = c.clone();
        this.w0 = w0.clone();
    }

    int dims() { return h.length; }
    double curvature(int i) { return h[i]; }
    double noise(int i) { return c[i]; }
    double start(int i) { return w0[i]; }

    /** E[w_{i,k}²] for real k ≥ 0. */
    double secondMoment(int i, double eta, double batch, double k) {
        double r = (1 - eta * h[i]) * (1 - eta * h[i]);
        double q = eta * eta * c[i] / batch;
        double rk = Math.pow(r, k);
        double geometric = Math.abs(1 - r) < 1e-15 ? k : (1 - rk) / (1 - r);
        return rk * w0[i] * w0[i] + q * geometric;
    }

    double expectedLoss(double eta, double batch, double k) {
        double s = 0;
        for (int i = 0; i < h.length; i++) {
            s += 0.5 * h[i] * secondMoment(i, eta, batch, k);
        }
        return s;
    }

    /** Var(L_k) from Var(w²) = 2v² + 4μ²v of the Gaussian iterate. */
    double lossVariance(double eta, double batch, int k) {
        double s = 0;
        for (int i = 0; i < h.length; i++) {
            double mu = Math.pow(1 - eta * h[i], k) * w0[i];
            double v = Math.max(0, secondMoment(i, eta, batch, k) - mu * mu);
            s += 0.25 * h[i] * h[i] * (2 * v * v + 4 * mu * mu * v);
        }
        return s;
    }

    /** lim_{k→∞} E[L_k] (infinite when η is unstable for some coordinate). */
    double floor(double eta, double batch) {
        double s = 0;
        for (int i = 0; i < h.length; i++) {
            double r = (1 - eta * h[i]) * (1 - eta * h[i]);
            if (r >= 1) {
                return Double.POSITIVE_INFINITY;
            }
            s += 0.5 * h[i] * (eta * eta * c[i] / batch) / (1 - r);
        }
        return s;
    }

    /** Smallest real k with E[L_k] ≤ target (first crossing), or +∞ when the floor is not below the target. */
    double stepsToTarget(double eta, double batch, double target) {
        if (!(floor(eta, batch) < target)) {
            return Double.POSITIVE_INFINITY;
        }
        if (expectedLoss(eta, batch, 0) <= target) {
            return 0;
        }
        double lo = 0;
        double hi = 1;
        while (expectedLoss(eta, batch, hi) > target) {
            lo = hi;
            hi *= 2;
            if (hi > 1e12) {
                return Double.POSITIVE_INFINITY;
            }
        }
        for (int it = 0; it < 100 && hi - lo > 1e-10 * hi; it++) {
            double mid = 0.5 * (lo + hi);
            if (expectedLoss(eta, batch, mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /**
     * Minimiser of {@code objective} over η in [lo, hi]: a log-spaced grid, then golden-section search
     * between the grid neighbours of the best grid point. Returns {η, objective(η)}.
     */
    static double[] minimiseLog(DoubleUnaryOperator objective, double lo, double hi, int grid) {
        double logLo = Math.log(lo);
        double logHi = Math.log(hi);
        int best = 0;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= grid; i++) {
            double value = objective.applyAsDouble(Math.exp(logLo + (logHi - logLo) * i / grid));
            if (value < bestValue) {
                bestValue = value;
                best = i;
            }
        }
        double a = logLo + (logHi - logLo) * Math.max(0, best - 1) / grid;
        double b = logLo + (logHi - logLo) * Math.min(grid, best + 1) / grid;
        double g = (Math.sqrt(5) - 1) / 2;
        for (int it = 0; it < 100 && b - a > 1e-12; it++) {
            double c1 = b - g * (b - a);
            double c2 = a + g * (b - a);
            if (objective.applyAsDouble(Math.exp(c1)) < objective.applyAsDouble(Math.exp(c2))) {
                b = c2;
            } else {
                a = c1;
            }
        }
        double eta = Math.exp(0.5 * (a + b));
        double value = objective.applyAsDouble(eta);
        if (value > bestValue) {
            eta = Math.exp(logLo + (logHi - logLo) * best / grid);
            value = bestValue;
        }
        return new double[] {eta, value};
    }

    /**
     * Monte Carlo: {@code runs} independent SGD runs of {@code steps} steps, Gaussian minibatch noise of
     * variance cᵢ/B drawn from {@code rnd}; returns the mean final loss.
     */
    double simulateMeanLoss(double eta, double batch, int steps, int runs, java.util.random.RandomGenerator rnd) {
        int d = h.length;
        double[] sd = new double[d];
        for (int i = 0; i < d; i++) {
            sd[i] = Math.sqrt(c[i] / batch);
        }
        double total = 0;
        double[] w = new double[d];
        for (int run = 0; run < runs; run++) {
            System.arraycopy(w0, 0, w, 0, d);
            for (int k = 0; k < steps; k++) {
                for (int i = 0; i < d; i++) {
                    w[i] -= eta * (h[i] * w[i] + sd[i] * rnd.nextGaussian());
                }
            }
            double loss = 0;
            for (int i = 0; i < d; i++) {
                loss += 0.5 * h[i] * w[i] * w[i];
            }
            total += loss;
        }
        return total / runs;
    }
}
