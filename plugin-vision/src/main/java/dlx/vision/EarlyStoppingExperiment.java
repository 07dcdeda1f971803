package dlx.vision;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunContext;
import dlx.kit.plot.Charts;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code vision.early-stopping}: the scratch MLP trained for a fixed number of epochs without early
 * stopping; where early stopping with the given patience would have stopped (and which epoch it
 * would have kept) is computed from the validation curve and marked on the plot.
 */
public final class EarlyStoppingExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("vision.early-stopping")
                .title("Scratch MLP: where early stopping would stop")
                .description("30 epochs of SGD with batch 5 and no early stopping; train/validation/test accuracy per epoch, "
                        + "with the epoch where early stopping (patience on validation accuracy) would have stopped marked.")
                .param(ParamSpec.integer("epochs", 30).quick(3).min(1))
                .param(ParamSpec.integer("batchSize", 5).min(1).max(10_000))
                .param(ParamSpec.decimal("learningRate", 0.01).min(0))
                .param(ParamSpec.integer("patience", 5).quick(1).min(1)
                        .help("patience (epochs without validation improvement) of the early stopping being simulated"))
                .param(VisionData.dataDirParam())
                .build();
    }

    /** {stop epoch (0 when it would not stop), best epoch at that point}, 1-based, for a validation-accuracy curve. */
    static int[] wouldStop(double[] valAccuracy, int patience) {
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int wait = 0;
        for (int e = 0; e < valAccuracy.length; e++) {
            if (valAccuracy[e] > best) {
                best = valAccuracy[e];
                bestEpoch = e + 1;
                wait = 0;
            } else if (++wait >= patience) {
                return new int[] {e + 1, bestEpoch};
            }
        }
        return new int[] {0, bestEpoch};
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        SparseImages[] data = VisionData.sparse(ctx);
        var p = ctx.params();
        ScratchMlp net = new ScratchMlp(ctx.seed());
        MlpTraining.Settings s = new MlpTraining.Settings(p.integer("epochs"), p.integer("batchSize"),
                (float) p.decimal("learningRate"), 0, 0f, ctx.seed());
        MlpTraining.Outcome o = MlpTraining.train(ctx, "epochs", net, data, s, e -> {
            ctx.series("trainLoss").add(e.epoch(), e.trainLoss());
            ctx.series("trainAccuracy").add(e.epoch(), e.trainAccuracy());
            ctx.series("valAccuracy").add(e.epoch(), e.valAccuracy());
            ctx.series("testAccuracy").add(e.epoch(), e.testAccuracy());
        });
        List<MlpTraining.Epoch> epochs = o.epochs();
        double[] val = epochs.stream().mapToDouble(MlpTraining.Epoch::valAccuracy).toArray();
        int[] stop = wouldStop(val, p.integer("patience"));
        int stopEpoch = stop[0];
        int bestEpoch = stop[1];
        MlpTraining.Epoch kept = epochs.get(bestEpoch - 1);
        MlpTraining.Epoch last = epochs.get(epochs.size() - 1);
        ctx.answer("stopEpoch", stopEpoch);
        ctx.answer("wouldStop", stopEpoch > 0);
        ctx.answer("bestEpoch", bestEpoch);
        ctx.answer("testAccuracyAtBest", kept.testAccuracy());
        ctx.answer("valAccuracyAtBest", kept.valAccuracy());
        ctx.answer("testAccuracyFinal", last.testAccuracy());
        ctx.metric("testAccuracy", last.testAccuracy());
        ctx.metric("testAccuracyAtBest", kept.testAccuracy());
        ctx.metric("epochSeconds", o.medianEpochSeconds());
        ctx.metric("trainSeconds", o.trainSeconds());
        ctx.log(stopEpoch > 0
                ? String.format("early stopping (patience %d) would stop after epoch %d keeping epoch %d: test %.4f vs %.4f after %d epochs",
                        p.integer("patience"), stopEpoch, bestEpoch, kept.testAccuracy(), last.testAccuracy(), epochs.size())
                : "early stopping would not have stopped within " + epochs.size() + " epochs");

        XYChart chart = Charts.xy("Scratch MLP accuracy; early stopping (patience " + p.integer("patience") + ") marked",
                "epoch", "accuracy", false, false);
        Charts.addLine(chart, "train", ctx.series("trainAccuracy").points(), true);
        Charts.addLine(chart, "validation", ctx.series("valAccuracy").points(), true);
        Charts.addLine(chart, "test", ctx.series("testAccuracy").points(), true);
        double lo = 1;
        double hi = 0;
        for (MlpTraining.Epoch e : epochs) {
            lo = Math.min(lo, Math.min(e.valAccuracy(), Math.min(e.testAccuracy(), e.trainAccuracy())));
            hi = Math.max(hi, Math.max(e.valAccuracy(), Math.max(e.testAccuracy(), e.trainAccuracy())));
        }
        if (stopEpoch > 0) {
            XYSeries line = Charts.addLine(chart, "early stop (epoch " + stopEpoch + ")",
                    List.of(new double[] {stopEpoch, lo}, new double[] {stopEpoch, hi}), false);
            line.setMarker(SeriesMarkers.NONE);
        }
        XYSeries bestPoint = Charts.addPoints(chart, "kept model (epoch " + bestEpoch + ")",
                List.of(new double[] {bestEpoch, kept.valAccuracy()}));
        bestPoint.setMarker(SeriesMarkers.DIAMOND);
        Charts.save(chart, ctx.outputDir().resolve("early-stopping.png"));
        ctx.artifact("early-stopping.png");
    }
}
