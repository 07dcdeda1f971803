package dlx.vision;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.RunContext;
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
    public void run(RunContext ctx) throws Exception {
        SparseImages[] data = VisionData.sparse(ctx);
        ScratchMlp net = new ScratchMlp(ctx.seed());

        // Gradient checker on the real layers, at initialisation.
        float[] x = Arrays.copyOf(data[0].dense().images(), GRAD_CHECK_EXAMPLES * ScratchMlp.IN);
        int[] y = Arrays.copyOf(data[0].labels, GRAD_CHECK_EXAMPLES);
        List<GradientChecker.Entry> entries = GradientChecker.check(net, x, y, GRAD_CHECK_EXAMPLES, GRAD_CHECK_ENTRIES, ctx.seed());
        List<Map<String, Object>> table = new ArrayList<>();
        for (GradientChecker.Entry e : entries) {
            table.add(e.asMap());
        }
        double maxRel = GradientChecker.maxRelErr(entries);
        ctx.answer("gradCheck", table);
        ctx.answer("gradCheckMaxRelErr", maxRel);
        ctx.verify("gradCheckMaxRelErr", maxRel, GRAD_CHECK_TOLERANCE);
        ctx.log(String.format("gradient check: %d entries of W1, b1, W2, b2, max relative error %.2e", entries.size(), maxRel));

        // Magnitude checker (l1 norm of the mean first-layer gradient, batch 50 vs 5000), at initialisation.
        double l1Small = MagnitudeChecker.firstLayerGradL1(net, data[0], 50);
        double l1Large = MagnitudeChecker.firstLayerGradL1(net, data[0], 5000);
        ctx.answer("gradL1Batch50", l1Small);
        ctx.answer("gradL1Batch5000", l1Large);
        ctx.answer("gradL1Ratio", l1Small / l1Large);
        ctx.metric("gradL1Batch50", l1Small);
        ctx.metric("gradL1Batch5000", l1Large);

        var p = ctx.params();
        MlpTraining.Settings s = new MlpTraining.Settings(p.integer("epochs"), p.integer("batchSize"),
                (float) p.decimal("learningRate"), p.integer("patience"), 0f, ctx.seed());
        ctx.plot(PlotSpec.lines("accuracy.png", "Scratch MLP: accuracy per epoch", "epoch", "accuracy",
                "trainAccuracy", "valAccuracy", "testAccuracy"));
        ctx.plot(PlotSpec.lines("loss.png", "Scratch MLP: training loss per epoch", "epoch", "cross-entropy", "trainLoss"));
        MlpTraining.Outcome o = MlpTraining.train(ctx, "epochs", net, data, s, e -> {
            ctx.series("trainLoss").add(e.epoch(), e.trainLoss());
            ctx.series("trainAccuracy").add(e.epoch(), e.trainAccuracy());
            ctx.series("valAccuracy").add(e.epoch(), e.valAccuracy());
            ctx.series("testAccuracy").add(e.epoch(), e.testAccuracy());
        });
        ctx.metric("testAccuracy", o.testAccuracy());
        ctx.metric("valAccuracy", o.bestValAccuracy());
        ctx.metric("epochSeconds", o.medianEpochSeconds());
        ctx.metric("trainSeconds", o.trainSeconds());
        ctx.metric("epochsRun", o.epochsRun());
        ctx.metric("bestEpoch", o.bestEpoch());
        ctx.metric("examplesPerSecond", data[0].count() / o.medianEpochSeconds());
        ctx.answer("testAccuracy", o.testAccuracy());
        ctx.answer("bestEpoch", o.bestEpoch());
        ctx.answer("epochsRun", o.epochsRun());
        ctx.answer("stoppedEarly", o.stoppedEarly());
        // Magnitude checker again on the trained model, where gradient noise dominates the mean gradient.
        double l1SmallTrained = MagnitudeChecker.firstLayerGradL1(net, data[0], 50);
        double l1LargeTrained = MagnitudeChecker.firstLayerGradL1(net, data[0], 5000);
        ctx.answer("gradL1Batch50Trained", l1SmallTrained);
        ctx.answer("gradL1Batch5000Trained", l1LargeTrained);
        ctx.answer("gradL1RatioTrained", l1SmallTrained / l1LargeTrained);
        ctx.log(String.format("magnitude check, l1 norm of dL/dW1: batch 50 %.2f vs batch 5000 %.2f at initialisation, "
                + "%.2f vs %.2f after training", l1Small, l1Large, l1SmallTrained, l1LargeTrained));
        ctx.log(String.format("test accuracy %.4f (best epoch %d of %d), median epoch %.3f s, %.1f s training",
                o.testAccuracy(), o.bestEpoch(), o.epochsRun(), o.medianEpochSeconds(), o.trainSeconds()));
    }
}
