package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scalar noisy quadratic model L(w) = ½aw², minibatch gradient aw + ξ with Var ξ = σ²/B. SGD gives
 * E[w_k²] = (1 − ηa)^{2k}w₀² + (η²σ²/B)(1 − (1 − ηa)^{2k})/(1 − (1 − ηa)²); the learning rate that
 * minimises E[L_k] is found per batch size, and the expected loss is confirmed by Monte Carlo (fixed
 * seed, common random numbers) at η*, 0.5η* and 1.5η*, which must also rank η* best.
 */
public final class NqmBatchSizeExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.nqm-batch-size")
                .title("Noisy quadratic model: optimal learning rate versus batch size")
                .description("Scalar NQM ½aw² with gradient noise σ²/B: closed-form expected loss after k SGD steps, "
                        + "optimal learning rate per batch size, Monte Carlo confirmation.")
                .param(ParamSpec.decimal("curvature", 1.0).min(1e-9).help("a"))
                .param(ParamSpec.decimal("noiseVariance", 1.0).min(0).help("σ², per-example gradient noise variance"))
                .param(ParamSpec.decimal("w0", 1.0).help("starting weight"))
                .param(ParamSpec.integer("steps", 10).min(1).max(100_000).help("k, SGD steps"))
                .param(ParamSpec.list("batchSizes", ParamType.INT_LIST, "1,2,4,8,16,32,64,128,256,512,1024,2048,4096")
                        .min(1).help("batch sizes B"))
                .param(ParamSpec.integer("monteCarloRuns", 100_000).quick(10_000).min(100).help("Monte Carlo runs per (B, η)"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        double a = request.params().decimal("curvature");
        double sigma2 = request.params().decimal("noiseVariance");
        double w0 = request.params().decimal("w0");
        int k = request.params().integer("steps");
        List<Integer> batches = request.params().intList("batchSizes");
        int runs = request.params().integer("monteCarloRuns");
        NqmMath nqm = new NqmMath(new double[] {a}, new double[] {sigma2}, new double[] {w0});

        List<double[]> optimal = new ArrayList<>();
        double maxRelErr = 0;
        int violations = 0;
        long samples = 0;
        for (int b : batches) {
            double[] best = NqmMath.minimiseLog(eta -> nqm.expectedLoss(eta, b, k), 1e-6, 1.999 / a, 2000);
            double eta = best[0];
            optimal.add(new double[] {b, eta});
            reporter.series("optimalLrByBatch").add(b, eta);
            reporter.series("bestExpectedLossByBatch").add(b, best[1]);

            double[] etas = {eta, 0.5 * eta, Math.min(1.5 * eta, 1.99 / a)};
            double[] simulated = new double[etas.length];
            for (int j = 0; j < etas.length; j++) {
                // Same seed for every η: common random numbers make the ranking sharp.
                simulated[j] = nqm.simulateMeanLoss(etas[j], b, k, runs, new SplittableRandom(request.seed() * 31 + b));
                samples += runs;
                double closed = nqm.expectedLoss(etas[j], b, k);
                maxRelErr = Math.max(maxRelErr, Math.abs(simulated[j] - closed) / closed);
            }
            if (simulated[1] <= simulated[0] || simulated[2] <= simulated[0]) {
                violations++;
            }
        }

        boolean increasing = true;
        for (int i = 1; i < optimal.size(); i++) {
            increasing &= optimal.get(i)[1] > optimal.get(i - 1)[1];
        }
        double first = optimal.get(0)[1];
        double last = optimal.get(optimal.size() - 1)[1];
        double doublings = Math.log(optimal.get(optimal.size() - 1)[0] / optimal.get(0)[0]) / Math.log(2);
        String trend = String.format(java.util.Locale.ROOT,
                "the optimal learning rate %s with the batch size: from %.4f at B = %d to %.4f at B = %d "
                        + "(about +%.4f per doubling of B at fixed k = %d, i.e. logarithmic in B, because the bias term "
                        + "(1 − ηa)^{2k}w₀² must balance a noise term that scales as η/B); it stays below 1/a = %.4f, the "
                        + "noise-free optimum, which it approaches only as B → ∞",
                increasing ? "increases monotonically" : "does not increase monotonically",
                first, (int) optimal.get(0)[0], last, (int) optimal.get(optimal.size() - 1)[0],
                doublings > 0 ? (last - first) / doublings : 0.0, k, 1 / a);

        reporter.answer("formula", "E[L_k] = ½a[(1 − ηa)^{2k}w₀² + (η²σ²/B)(1 − (1 − ηa)^{2k})/(1 − (1 − ηa)²)]; "
                + "η*(B) = argmin_η E[L_k]");
        reporter.answer("optimalLrByBatch", optimal);
        reporter.answer("trend", trend);
        reporter.answer("optimalLrIncreasesWithBatch", increasing);
        reporter.metric("monteCarloRunsPerPoint", runs);
        reporter.metric("monteCarloSamples", samples);
        double tolerance = 5 * Math.sqrt(2.0 / runs);
        reporter.metric("monteCarloTolerance", tolerance);
        reporter.verify("monteCarloMaxRelErr", maxRelErr, tolerance);
        reporter.verify("simulatedOptimumViolations", violations, 0.5);
        reporter.plot(PlotSpec.lines("optimal-lr-by-batch.png", "NQM: optimal learning rate after " + k + " steps",
                "batch size B", "η*", "optimalLrByBatch").withLogX());
        reporter.plot(PlotSpec.lines("best-loss-by-batch.png", "NQM: expected loss at η* after " + k + " steps",
                "batch size B", "E[L_k]", "bestExpectedLossByBatch").logLog());
        reporter.log(trend);
    }
}
