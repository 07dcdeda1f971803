package dlx.vision;

import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code vision.mlp-scratch}: the two-layer MLP without autograd, its gradient checker and
 * magnitude checker, trained with mini-batch SGD and early stopping.
 */
public final class MlpScratchExperiment implements Experiment {
    /** Tolerance on the gradient checker's largest relative error. */
    static final double GRAD_CHECK_TOLERANCE = 1e-3;
    static final int GRAD_CHECK_EXAMPLES = 20;
    static final int GRAD_CHECK_ENTRIES = 6;
    /** The magnitude checker's small and large batch. */
    static final int[] MAGNITUDE_BATCHES = {50, 5000};

    private final Configuration configuration;

    /** {@code configuration} chooses the scratch MLP's first-layer kernels ({@link FirstLayer#configured}). */
    @Inject
    public MlpScratchExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("vision.mlp-scratch")
                .title("Two-layer MLP from scratch on Fashion-MNIST (no autograd)")
                .description("784-128-10 MLP (ReLU, softmax cross-entropy, N(0, 0.1^2) init) with hand-written forward and "
                        + "backward passes, checked by central differences (eps 1e-3) and by the l1 norm of the first-layer "
                        + "gradient on batch 50 vs 5000; trained with mini-batch SGD and early stopping on validation accuracy.")
                .param(ParamSpec.integer("epochs", 100).quick(3).min(1).help("maximum number of epochs"))
                .param(ParamSpec.integer("batchSize", 5).min(1).max(10_000))
                .param(ParamSpec.decimal("learningRate", 0.01).min(0))
                .param(ParamSpec.integer("patience", 5).quick(0).min(0)
                        .help("early stopping: epochs without validation improvement before stopping (0 = no early stopping)"))
                .param(VisionData.dataDirParam())
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        SparseImages[] data = VisionData.sparse(request, reporter);
        ScratchMlp net = new ScratchMlp(request.seed(), FirstLayer.configured(configuration));

        // Gradient checker on the real layers, at initialisation.
        float[] x = Arrays.copyOf(data[0].dense().images(), GRAD_CHECK_EXAMPLES * ScratchMlp.IN);
        int[] y = Arrays.copyOf(data[0].labels, GRAD_CHECK_EXAMPLES);
        List<GradientChecker.Entry> entries = GradientChecker.check(net, x, y, GRAD_CHECK_EXAMPLES, GRAD_CHECK_ENTRIES, request.seed());
        List<Map<String, Object>> table = new ArrayList<>();
        for (GradientChecker.Entry e : entries) {
            table.add(e.asMap());
        }
        double maxRel = GradientChecker.maxRelErr(entries);
        reporter.answer("gradCheck", table);
        reporter.answer("gradCheckMaxRelErr", maxRel);
        reporter.verify("gradCheckMaxRelErr", maxRel, GRAD_CHECK_TOLERANCE);
        reporter.log(String.format("gradient check: %d entries of W1, b1, W2, b2, max relative error %.2e", entries.size(), maxRel));

        // Magnitude checker at initialisation.
        double[] l1Initial = magnitudeCheck(reporter, net, data[0], "initial");

        var p = request.params();
        MlpTraining.Settings s = new MlpTraining.Settings(p.integer("epochs"), p.integer("batchSize"),
                (float) p.decimal("learningRate"), p.integer("patience"), 0f, request.seed());
        reporter.plot(PlotSpec.lines("accuracy.png", "Scratch MLP: accuracy per epoch", "epoch", "accuracy",
                "trainAccuracy", "valAccuracy", "testAccuracy"));
        reporter.plot(PlotSpec.lines("loss.png", "Scratch MLP: training loss per epoch", "epoch", "cross-entropy", "trainLoss"));
        MlpTraining.Outcome o = MlpTraining.train(reporter, request.cancellation(), Labels.NONE, net, data, s,
                MlpTraining.curves(reporter));
        reporter.metric("testAccuracy", o.testAccuracy());
        reporter.metric("valAccuracy", o.bestValAccuracy());
        reporter.metric("epochSeconds", o.medianEpochSeconds());
        reporter.metric("trainSeconds", o.trainSeconds());
        reporter.metric("epochsRun", o.epochsRun());
        reporter.metric("bestEpoch", o.bestEpoch());
        reporter.metric("examplesPerSecond", data[0].count() / o.medianEpochSeconds());
        reporter.answer("testAccuracy", o.testAccuracy());
        reporter.answer("bestEpoch", o.bestEpoch());
        reporter.answer("epochsRun", o.epochsRun());
        reporter.answer("stoppedEarly", o.stoppedEarly());
        // Again on the trained model, where gradient noise dominates the mean gradient.
        double[] l1Trained = magnitudeCheck(reporter, net, data[0], "trained");
        reporter.log(String.format("magnitude check, l1 norm of dL/dW1: batch 50 %.2f vs batch 5000 %.2f at initialisation, "
                + "%.2f vs %.2f after training", l1Initial[0], l1Initial[1], l1Trained[0], l1Trained[1]));
        reporter.log(String.format("test accuracy %.4f (best epoch %d of %d), median epoch %.3f s, %.1f s training",
                o.testAccuracy(), o.bestEpoch(), o.epochsRun(), o.medianEpochSeconds(), o.trainSeconds()));
    }

    /**
     * The magnitude checker on the current weights ({@code weights}: initial or trained): the l1
     * norm of the mean first-layer gradient on each of {@link #MAGNITUDE_BATCHES}, as
     * {@code gradL1{weights,batchSize}}, and the small batch's over the large one's as
     * {@code gradL1Ratio{weights}}. Returns the norms.
     */
    private static double[] magnitudeCheck(RunReporter reporter, ScratchMlp net, SparseImages train, String weights) {
        Labels at = Labels.of("weights", weights);
        double[] l1 = new double[MAGNITUDE_BATCHES.length];
        for (int i = 0; i < l1.length; i++) {
            l1[i] = MagnitudeChecker.firstLayerGradL1(net, train, MAGNITUDE_BATCHES[i]);
            Labels labels = at.and("batchSize", Integer.toString(MAGNITUDE_BATCHES[i]));
            reporter.answer("gradL1", labels, l1[i]);
            reporter.metric("gradL1", labels, l1[i]);
        }
        reporter.answer("gradL1Ratio", at, l1[0] / l1[1]);
        return l1;
    }
}
