package dlx.vision;

import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import jakarta.inject.Inject;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * {@code vision.early-stopping}: the scratch MLP trained for a fixed number of epochs without early
 * stopping; where early stopping with the given patience would have stopped (and which epoch it
 * would have kept) is computed from the validation curve and marked on the plot. The yes/no answers
 * to the course's questions (CSCI567 3.3) follow from the curves.
 */
public final class EarlyStoppingExperiment implements Experiment {

    private final Configuration configuration;

    /** {@code configuration} chooses the scratch MLP's first-layer kernels ({@link FirstLayer#configured}). */
    @Inject
    public EarlyStoppingExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

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
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        SparseImages[] data = VisionData.sparse(request, reporter);
        var p = request.params();
        ScratchMlp net = new ScratchMlp(request.seed(), FirstLayer.configured(configuration));
        MlpTraining.Settings s = new MlpTraining.Settings(p.integer("epochs"), p.integer("batchSize"),
                (float) p.decimal("learningRate"), 0, 0f, request.seed());
        MlpTraining.Outcome o = MlpTraining.train(reporter, request.cancellation(), Labels.NONE, net, data, s,
                MlpTraining.curves(reporter));
        List<MlpTraining.Epoch> epochs = o.epochs();
        double[] val = epochs.stream().mapToDouble(MlpTraining.Epoch::valAccuracy).toArray();
        int[] stop = wouldStop(val, p.integer("patience"));
        int stopEpoch = stop[0];
        int bestEpoch = stop[1];
        MlpTraining.Epoch kept = epochs.get(bestEpoch - 1);
        MlpTraining.Epoch last = epochs.get(epochs.size() - 1);
        reporter.answer("stopEpoch", stopEpoch);
        reporter.answer("wouldStop", stopEpoch > 0);
        reporter.answer("bestEpoch", bestEpoch);
        reporter.answer("testAccuracyAtBest", kept.testAccuracy());
        reporter.answer("valAccuracyAtBest", kept.valAccuracy());
        reporter.answer("testAccuracyFinal", last.testAccuracy());
        // CSCI567 3.3, from the curves: does the kept model test better than the last one, and did the network
        // overfit after the kept epoch (training accuracy still rising while validation accuracy fell)?
        reporter.answer("earlyStoppingHelps", kept.testAccuracy() > last.testAccuracy());
        reporter.answer("overfitsAfterBest",
                last.trainAccuracy() > kept.trainAccuracy() && last.valAccuracy() < kept.valAccuracy());
        reporter.metric("testAccuracy", last.testAccuracy());
        reporter.metric("testAccuracyAtBest", kept.testAccuracy());
        reporter.metric("epochSeconds", o.medianEpochSeconds());
        reporter.metric("trainSeconds", o.trainSeconds());
        reporter.log(stopEpoch > 0
                ? String.format("early stopping (patience %d) would stop after epoch %d keeping epoch %d: test %.4f vs %.4f after %d epochs",
                        p.integer("patience"), stopEpoch, bestEpoch, kept.testAccuracy(), last.testAccuracy(), epochs.size())
                : "early stopping would not have stopped within " + epochs.size() + " epochs");
        reporter.plot(plot(epochs, p.integer("patience"), stopEpoch, kept));
    }

    /** The three accuracy curves, a vertical line at the stop epoch (if it stops) and the kept model's point. */
    static LinePlot plot(List<MlpTraining.Epoch> epochs, int patience, int stopEpoch, MlpTraining.Epoch kept) {
        LinePlot.Builder plot = LinePlot.builder("early-stopping.png",
                        "Scratch MLP accuracy; early stopping (patience " + patience + ") marked", "epoch", "accuracy")
                .series("trainAccuracy", Labels.NONE, "train")
                .series("valAccuracy", Labels.NONE, "validation")
                .series("testAccuracy", Labels.NONE, "test");
        if (stopEpoch > 0) {
            // From the lowest to the highest accuracy drawn, so that the line spans the curves.
            DoubleSummaryStatistics range = epochs.stream()
                    .flatMapToDouble(e -> DoubleStream.of(e.trainAccuracy(), e.valAccuracy(), e.testAccuracy()))
                    .summaryStatistics();
            plot.line("early stop (epoch " + stopEpoch + ")",
                    List.of(new double[] {stopEpoch, range.getMin()}, new double[] {stopEpoch, range.getMax()}));
        }
        List<double[]> keptPoint = List.of(new double[] {kept.epoch(), kept.valAccuracy()});
        return plot.points("kept model (epoch " + kept.epoch() + ")", keptPoint).build();
    }
}
