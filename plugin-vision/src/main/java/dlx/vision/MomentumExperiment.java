package dlx.vision;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.RunContext;
import dlx.kit.plot.Charts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vision.momentum}: SGD with momentum {@code v ← αv + ∇F, w ← w − ηv} for several α: the
 * training loss per epoch (one plot, one curve per α) and the test accuracy.
 */
public final class MomentumExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("vision.momentum")
                .title("Scratch MLP: SGD with momentum")
                .description("SGD with momentum v <- alpha v + grad F, w <- w - eta v for each alpha, from the same "
                        + "initialisation: training loss per epoch (one plot) and test accuracy.")
                .param(ParamSpec.list("alphas", ParamType.DOUBLE_LIST, "0.1,0.3,0.5,0.7,0.9").min(0).max(0.999))
                .param(ParamSpec.integer("epochs", 20).quick(2).min(1))
                .param(ParamSpec.integer("batchSize", 5).min(1).max(10_000))
                .param(ParamSpec.decimal("learningRate", 0.01).min(0))
                .param(VisionData.dataDirParam())
                .build();
    }

    /** {@code trainLossAlpha0p9} for α = 0.9. */
    static String curveName(double alpha) {
        return "trainLossAlpha" + BigDecimal.valueOf(alpha).stripTrailingZeros().toPlainString().replace('.', 'p');
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        SparseImages[] data = VisionData.sparse(ctx);
        var p = ctx.params();
        Map<String, Object> testAccuracy = new LinkedHashMap<>();
        Map<String, Object> finalLoss = new LinkedHashMap<>();
        List<String> curves = new ArrayList<>();
        for (double alpha : p.doubleList("alphas")) {
            String key = BigDecimal.valueOf(alpha).stripTrailingZeros().toPlainString();
            String curve = curveName(alpha);
            curves.add(curve);
            ScratchMlp net = new ScratchMlp(ctx.seed());
            MlpTraining.Settings s = new MlpTraining.Settings(p.integer("epochs"), p.integer("batchSize"),
                    (float) p.decimal("learningRate"), 0, (float) alpha, ctx.seed());
            MlpTraining.Outcome o = MlpTraining.train(ctx, "alpha " + key, net, data, s,
                    e -> ctx.series(curve).add(e.epoch(), e.trainLoss()));
            double loss = o.epochs().get(o.epochs().size() - 1).trainLoss();
            testAccuracy.put(key, o.testAccuracy());
            finalLoss.put(key, loss);
            ctx.series("testAccuracyByAlpha").add(alpha, o.testAccuracy());
            ctx.metric("testAccuracy" + curve.substring("trainLoss".length()), o.testAccuracy());
            ctx.metric("epochSeconds" + curve.substring("trainLoss".length()), o.medianEpochSeconds());
            ctx.log(String.format("alpha %s: final train loss %.4f, test accuracy %.4f, %.1f s", key, loss,
                    o.testAccuracy(), o.trainSeconds()));
        }
        ctx.answer("testAccuracy", testAccuracy);
        ctx.answer("finalTrainLoss", finalLoss);
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        for (int k = 0; k < curves.size(); k++) {
            lines.put("alpha = " + p.doubleList("alphas").get(k), ctx.series(curves.get(k)).points());
        }
        Charts.lines("Training loss per epoch, SGD with momentum (lr " + p.decimal("learningRate") + ", batch "
                + p.integer("batchSize") + ")", "epoch", "training loss (cross-entropy)", lines, false, false,
                ctx.outputDir().resolve("momentum-train-loss.png"));
        ctx.artifact("momentum-train-loss.png");
        ctx.plot(PlotSpec.lines("test-accuracy-by-alpha.png", "Test accuracy by momentum", "alpha", "test accuracy",
                "testAccuracyByAlpha"));
    }
}
