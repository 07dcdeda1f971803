package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Steps to reach a target loss versus batch size on the noisy quadratic model with curvatures hᵢ
 * log-spaced in [hMin, hMax] and gradient noise covariance C = σ²H / B (the NQM of Zhang et al.,
 * 2019; dims = 1 is the scalar model, whose curvature limit is a single step at η = 1/a). For every B
 * the learning rate is tuned to minimise the steps, from the closed-form E[L_k]. Small B: noise
 * dominated, steps ∝ 1/B (halve when B doubles). Large B: curvature dominated, steps approach the
 * noise-free minimum k∞ set by the smallest curvature. The critical batch size is where the
 * asymptotes C/B and k∞ cross. The expected loss at each (η*, k*) is confirmed by Monte Carlo.
 */
public final class NqmStepsVsBatchExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.nqm-steps-vs-batch")
                .title("Noisy quadratic model: steps to a target loss versus batch size")
                .description("Diagonal NQM, learning rate tuned per B: steps to reach targetFraction × L₀ from the closed "
                        + "form, the noise- and curvature-dominated regimes, the critical batch size, and a Monte Carlo "
                        + "check of the expected loss at each tuned point.")
                .param(ParamSpec.integer("dims", 10).min(1).max(1000).help("number of curvature directions"))
                .param(ParamSpec.decimal("hMax", 1.0).min(1e-9).help("largest curvature"))
                .param(ParamSpec.decimal("hMin", 0.01).min(1e-9).help("smallest curvature"))
                .param(ParamSpec.decimal("noiseVariance", 1.0).min(0).help("σ²: per-example noise covariance σ²H"))
                .param(ParamSpec.decimal("targetFraction", 0.01).range(1e-9, 1).help("target loss as a fraction of L₀"))
                .param(ParamSpec.list("batchSizes", ParamType.INT_LIST,
                                "1,2,4,8,16,32,64,128,256,512,1024,2048,4096,8192,16384,32768,65536")
                        .quick("1,4,16,64,256,1024,4096,16384,65536").min(1).help("batch sizes B"))
                .param(ParamSpec.integer("monteCarloRuns", 1000).quick(200).min(20).help("Monte Carlo runs per batch size"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        int d = request.params().integer("dims");
        double hMax = request.params().decimal("hMax");
        double hMin = Math.min(request.params().decimal("hMin"), hMax);
        double sigma2 = request.params().decimal("noiseVariance");
        double fraction = request.params().decimal("targetFraction");
        List<Integer> batches = request.params().intList("batchSizes");
        int runs = request.params().integer("monteCarloRuns");
        if (batches.size() < 2) {
            throw new IllegalArgumentException("batchSizes needs at least two values to show the regimes");
        }

        double[] h = new double[d];
        double[] c = new double[d];
        double[] w0 = new double[d];
        for (int i = 0; i < d; i++) {
            h[i] = d == 1 ? hMax : hMax * Math.pow(hMin / hMax, (double) i / (d - 1));
            c[i] = sigma2 * h[i];
            w0[i] = 1;
        }
        NqmMath nqm = new NqmMath(h, c, w0);
        double target = fraction * nqm.expectedLoss(0, 1, 0);
        double etaMax = 1.999 / hMax;

        double[] noiseFree = NqmMath.minimiseLog(eta -> nqm.stepsToTarget(eta, Double.POSITIVE_INFINITY, target), 1e-6, etaMax, 400);
        double kInf = noiseFree[1];

        List<double[]> steps = new ArrayList<>();
        List<double[]> realSteps = new ArrayList<>();
        double maxZ = 0;
        double maxRelErr = 0;
        long samples = 0;
        for (int b : batches) {
            double[] best = NqmMath.minimiseLog(eta -> nqm.stepsToTarget(eta, b, target), 1e-7, etaMax, 400);
            if (Double.isInfinite(best[1])) {
                throw new IllegalStateException("no learning rate reaches the target at B = " + b);
            }
            int kInt = (int) Math.ceil(best[1] - 1e-9);
            steps.add(new double[] {b, kInt});
            realSteps.add(new double[] {b, best[1]});
            reporter.series("stepsByBatch").add(b, kInt);
            reporter.series("tunedLrByBatch").add(b, best[0]);

            double closed = nqm.expectedLoss(best[0], b, kInt);
            double se = Math.sqrt(nqm.lossVariance(best[0], b, kInt) / runs);
            double simulated = nqm.simulateMeanLoss(best[0], b, kInt, runs, new SplittableRandom(request.seed() * 131 + b));
            samples += runs;
            maxRelErr = Math.max(maxRelErr, Math.abs(simulated - closed) / closed);
            maxZ = Math.max(maxZ, Math.abs(simulated - closed) / se);
            request.checkCancelled();
        }

        // Asymptotes: k ≈ k∞ + C/B; C from the smallest batch, crossing C/B = k∞.
        double[] firstPoint = realSteps.get(0);
        double noiseConstant = (firstPoint[1] - kInf) * firstPoint[0];
        double critical = noiseConstant / kInf;
        double smallRatio = perDoublingRatio(realSteps, 0);
        double largeRatio = perDoublingRatio(realSteps, realSteps.size() - 2);

        reporter.answer("stepsByBatch", steps);
        reporter.answer("criticalBatchSize", critical);
        reporter.answer("noiseFreeSteps", kInf);
        reporter.answer("formula", NqmMath.EXPECTED_LOSS + "; steps(B) = min_η min{k : E[L_k] ≤ target}; "
                + "steps ≈ k∞ + C/B, critical batch size B* = C/k∞");
        reporter.answer("regimes", String.format(Locale.ROOT,
                "noise-dominated (B ≪ %.0f): steps fall by a factor %.2f per doubling of B (ideal 2: perfect scaling); "
                        + "curvature-dominated (B ≫ %.0f): factor %.3f per doubling, steps level off at k∞ = %.2f, set by the "
                        + "smallest curvature (no gain from larger batches)", critical, smallRatio, critical, largeRatio, kInf));
        reporter.metric("targetLoss", target);
        // Measured between the two smallest and between the two largest batch sizes.
        reporter.metric("stepRatioPerDoubling", Labels.of("batches", "smallest"), smallRatio);
        reporter.metric("stepRatioPerDoubling", Labels.of("batches", "largest"), largeRatio);
        reporter.metric("monteCarloRunsPerBatch", runs);
        reporter.metric("monteCarloSamples", samples);
        reporter.metric("monteCarloMaxRelErr", maxRelErr);
        reporter.verify("monteCarloMaxZ", maxZ, 5.0);
        reporter.plot(PlotSpec.lines("steps-by-batch.png", String.format(Locale.ROOT,
                        "NQM: steps to reach %.3g × L₀ (η tuned per B); critical B ≈ %.0f", fraction, critical),
                "batch size B", "steps", "stepsByBatch").logLog());
        reporter.plot(PlotSpec.lines("tuned-lr-by-batch.png", "NQM: learning rate tuned per batch size", "batch size B",
                "η*", "tunedLrByBatch").logLog());
        reporter.log(String.format(Locale.ROOT, "k∞ = %.2f, C = %.1f, critical batch size %.1f", kInf, noiseConstant, critical));
    }

    /** steps(B_i)/steps(B_{i+1}) converted to a factor per doubling of B. */
    private static double perDoublingRatio(List<double[]> pts, int i) {
        double[] a = pts.get(Math.max(0, i));
        double[] b = pts.get(Math.max(0, i) + 1);
        double doublings = Math.log(b[0] / a[0]) / Math.log(2);
        return Math.pow(a[1] / b[1], 1 / doublings);
    }
}
