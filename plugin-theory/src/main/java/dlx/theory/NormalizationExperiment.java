package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.Arrays;

/**
 * Batch, layer and instance normalisation statistics of the catalogue's 4x2x3 tensor
 * (batch x channels x features), each computed by the closed-form axis reduction and checked
 * against a two-pass (Welford) computation over explicitly gathered groups.
 */
public final class NormalizationExperiment implements Experiment {
    static final double[][][] X = {
            {{2, 4, 3}, {2, 1, 2}},
            {{1, 2, 3}, {4, 1, 1}},
            {{2, 1, 3}, {3, 2, 4}},
            {{1, 4, 2}, {2, 4, 3}}};
    private static final double TOLERANCE = 1e-12;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.normalization")
                .title("Batch, layer and instance norm statistics of a 4x2x3 tensor")
                .description("Means and biased variances for batch norm (per channel, over batch and features), "
                        + "layer norm (per example, over channels and features) and instance norm (per example and "
                        + "channel, over features), checked by Welford's online algorithm over the gathered groups.")
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        int n = X.length;
        int c = X[0].length;
        int f = X[0][0].length;
        double[] muBatch = new double[c];
        double[] varBatch = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            double s2 = 0;
            for (double[][] example : X) {
                for (double v : example[ch]) {
                    s += v;
                    s2 += v * v;
                }
            }
            int m = n * f;
            muBatch[ch] = s / m;
            varBatch[ch] = s2 / m - muBatch[ch] * muBatch[ch];
        }
        double[] muLayer = new double[n];
        double[] varLayer = new double[n];
        double[][] muInstance = new double[n][c];
        double[][] varInstance = new double[n][c];
        for (int b = 0; b < n; b++) {
            double s = 0;
            double s2 = 0;
            for (int ch = 0; ch < c; ch++) {
                double si = 0;
                double si2 = 0;
                for (double v : X[b][ch]) {
                    s += v;
                    s2 += v * v;
                    si += v;
                    si2 += v * v;
                }
                muInstance[b][ch] = si / f;
                varInstance[b][ch] = si2 / f - muInstance[b][ch] * muInstance[b][ch];
            }
            muLayer[b] = s / (c * f);
            varLayer[b] = s2 / (c * f) - muLayer[b] * muLayer[b];
        }

        double residual = 0;
        for (int ch = 0; ch < c; ch++) {
            final int cc = ch;
            double[] group = Arrays.stream(X).flatMapToDouble(e -> Arrays.stream(e[cc])).toArray();
            residual = Math.max(residual, diff(welford(group), muBatch[ch], varBatch[ch]));
        }
        for (int b = 0; b < n; b++) {
            double[] group = Arrays.stream(X[b]).flatMapToDouble(Arrays::stream).toArray();
            residual = Math.max(residual, diff(welford(group), muLayer[b], varLayer[b]));
            for (int ch = 0; ch < c; ch++) {
                residual = Math.max(residual, diff(welford(X[b][ch]), muInstance[b][ch], varInstance[b][ch]));
            }
        }

        reporter.answer("muBatch", muBatch);
        reporter.answer("varBatch", varBatch);
        reporter.answer("muLayer", muLayer);
        reporter.answer("varLayer", varLayer);
        reporter.answer("muInstance", muInstance);
        reporter.answer("varInstance", varInstance);
        reporter.answer("formula", "mu = mean over the normalised axes; var = mean of squares - mu^2 (biased, divide by the group size)");
        reporter.verify("welfordMaxAbsResidual", residual, TOLERANCE);
    }

    /** {mean, biased variance} by Welford's single-pass update. */
    static double[] welford(double[] values) {
        double mean = 0;
        double m2 = 0;
        int k = 0;
        for (double v : values) {
            k++;
            double d = v - mean;
            mean += d / k;
            m2 += d * (v - mean);
        }
        return new double[] {mean, m2 / k};
    }

    private static double diff(double[] welford, double mu, double var) {
        return Math.max(Math.abs(welford[0] - mu), Math.abs(welford[1] - var));
    }
}
