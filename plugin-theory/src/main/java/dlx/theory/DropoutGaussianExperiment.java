package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.Random;

/**
 * Inverted input dropout versus multiplicative Gaussian noise in linear regression. Both
 * predictions are unbiased (E ŷ = wᵀx); their variances are (1−p)/p·Σ w_j²x_j² and σ²·Σ w_j²x_j²,
 * so the expected squared losses agree exactly when σ² = (1−p)/p. Checked by Monte Carlo.
 */
public final class DropoutGaussianExperiment implements Experiment {
    static final double TOLERANCE = 0.01;
    static final Labels DROPOUT = Labels.of("noise", "dropout");
    static final Labels GAUSSIAN = Labels.of("noise", "gaussian");

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.dropout-gaussian")
                .title("Inverted dropout versus Gaussian multiplicative noise: the equivalent sigma^2")
                .description("Bias-variance decomposition of the expected squared loss of linear regression under "
                        + "inverted input dropout (keep probability p) and under multiplicative N(1, sigma^2) noise; "
                        + "the sigma^2 making both objectives equal; Monte Carlo confirmation with a fixed seed.")
                .param(ParamSpec.decimal("keepProb", 0.8).range(0.01, 1).help("keep probability p of the example"))
                .param(ParamSpec.integer("samples", 200_000).quick(20_000).min(100)
                        .help("Monte Carlo noise draws per training example"))
                .param(ParamSpec.integer("examples", 50).min(1).help("training examples of the random regression problem"))
                .param(ParamSpec.integer("features", 5).min(1).help("input dimension"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        double p = request.params().decimal("keepProb");
        int samples = request.params().integer("samples");
        int n = request.params().integer("examples");
        int d = request.params().integer("features");
        Random rnd = new Random(request.seed());
        double[][] x = new double[n][d];
        double[] w = new double[d];
        double[] y = new double[n];
        for (int j = 0; j < d; j++) {
            w[j] = rnd.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x[i][j] = rnd.nextGaussian();
                s += x[i][j] * (w[j] + 0.3 * rnd.nextGaussian());
            }
            y[i] = s + 0.1 * rnd.nextGaussian();
        }

        double sigma2 = (1 - p) / p;
        reporter.answer("biasVariance", "Both noisy predictions are unbiased: E[y_hat] = sum_j w_j x_j. "
                + "Dropout: Var[y_hat] = (1/p^2) sum_j w_j^2 x_j^2 p(1-p) = ((1-p)/p) sum_j w_j^2 x_j^2; "
                + "Gaussian: Var[y_hat] = sigma^2 sum_j w_j^2 x_j^2. Expected loss E(y - y_hat)^2 = (y - w^T x)^2 "
                + "(bias^2 term of the noise-free model) + Var[y_hat] (a data-dependent L2 penalty).");
        reporter.answer("sigmaSquaredFormula", "sigma^2 = (1 - p) / p");
        reporter.answer("exampleSigmaSquared", sigma2);
        reporter.answer("keepProb", p);

        double[] closed = expectedLoss(x, y, w, sigma2);
        double dropMc = 0;
        double gaussMc = 0;
        double sigma = Math.sqrt(sigma2);
        for (int i = 0; i < n; i++) {
            double sd = 0;
            double sg = 0;
            for (int s = 0; s < samples; s++) {
                double yd = 0;
                double yg = 0;
                for (int j = 0; j < d; j++) {
                    double wx = w[j] * x[i][j];
                    if (rnd.nextDouble() < p) {
                        yd += wx / p;
                    }
                    yg += (1 + sigma * rnd.nextGaussian()) * wx;
                }
                sd += (y[i] - yd) * (y[i] - yd);
                sg += (y[i] - yg) * (y[i] - yg);
            }
            dropMc += sd / samples;
            gaussMc += sg / samples;
            request.checkCancelled();
        }
        dropMc /= n;
        gaussMc /= n;
        double closedLoss = closed[0] + closed[1];
        double relDrop = Math.abs(dropMc - closedLoss) / closedLoss;
        double relGauss = Math.abs(gaussMc - closedLoss) / closedLoss;
        reporter.metric("monteCarloSampleSize", (double) samples * n);
        reporter.metric("closedFormLoss", closedLoss);
        reporter.metric("monteCarloLoss", DROPOUT, dropMc);
        reporter.metric("monteCarloLoss", GAUSSIAN, gaussMc);
        reporter.metric("relErr", DROPOUT, relDrop);
        reporter.metric("relErr", GAUSSIAN, relGauss);
        reporter.log(String.format("closed form %.6f, dropout MC %.6f, Gaussian MC %.6f (sigma^2 = %.4f)",
                closedLoss, dropMc, gaussMc, sigma2));
        reporter.verify("monteCarloRelErr", Math.max(relDrop, relGauss), TOLERANCE);

        // Sweep p: the sigma^2 that Monte Carlo dropout implies, against (1-p)/p.
        int sweepSamples = Math.max(100, samples / 10);
        for (double q = 0.3; q <= 0.951; q += 0.05) {
            double extra = 0;
            for (int i = 0; i < n; i++) {
                double sd = 0;
                for (int s = 0; s < sweepSamples; s++) {
                    double yd = 0;
                    for (int j = 0; j < d; j++) {
                        if (rnd.nextDouble() < q) {
                            yd += w[j] * x[i][j] / q;
                        }
                    }
                    sd += (y[i] - yd) * (y[i] - yd);
                }
                double mean = 0;
                for (int j = 0; j < d; j++) {
                    mean += w[j] * x[i][j];
                }
                extra += sd / sweepSamples - (y[i] - mean) * (y[i] - mean);
            }
            double penalty = expectedLoss(x, y, w, 1)[1];
            reporter.series("sigmaSquaredClosedForm").add(q, (1 - q) / q);
            reporter.series("sigmaSquaredMonteCarlo").add(q, extra / n / penalty);
        }
        reporter.plot(PlotSpec.lines("sigma-squared.png", "Gaussian noise variance equivalent to inverted dropout",
                "keep probability p", "sigma^2", "sigmaSquaredClosedForm", "sigmaSquaredMonteCarlo"));
    }

    /** {mean squared error of the noise-free model, mean variance term sigma2 * sum_j w_j^2 x_j^2}. */
    static double[] expectedLoss(double[][] x, double[] y, double[] w, double sigma2) {
        double bias = 0;
        double var = 0;
        for (int i = 0; i < x.length; i++) {
            double m = 0;
            double v = 0;
            for (int j = 0; j < w.length; j++) {
                m += w[j] * x[i][j];
                v += w[j] * w[j] * x[i][j] * x[i][j];
            }
            bias += (y[i] - m) * (y[i] - m);
            var += sigma2 * v;
        }
        return new double[] {bias / x.length, var / x.length};
    }
}
