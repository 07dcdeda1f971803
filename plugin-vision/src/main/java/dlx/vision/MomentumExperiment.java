package dlx.vision;

import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import jakarta.inject.Inject;
import java.math.BigDecimal;

/**
 * {@code vision.momentum}: SGD with momentum {@code v ← αv + ∇F, w ← w − ηv} for several α: the
 * training loss per epoch (one plot, one curve per α) and the test accuracy. The α to choose
 * (CSCI567 3.4) is picked on the validation set, never on the test set; the α with the lowest
 * final training loss is reported beside it.
 */
public final class MomentumExperiment implements Experiment {

    private final Configuration configuration;

    /** {@code configuration} chooses the scratch MLP's first-layer kernels ({@link FirstLayer#configured}). */
    @Inject
    public MomentumExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

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

    /** The label value of α: {@code 0.9}, {@code 0.05} (no trailing zeros). */
    static String alphaText(double alpha) {
        return BigDecimal.valueOf(alpha).stripTrailingZeros().toPlainString();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        SparseImages[] data = VisionData.sparse(request, reporter);
        var p = request.params();
        double chosen = Double.NaN;
        double chosenVal = Double.NEGATIVE_INFINITY;
        double lowestLoss = Double.NaN;
        double lowest = Double.POSITIVE_INFINITY;
        for (double alpha : p.doubleList("alphas")) {
            Labels labels = Labels.of("alpha", alphaText(alpha));
            ScratchMlp net = new ScratchMlp(request.seed(), FirstLayer.configured(configuration));
            MlpTraining.Settings s = new MlpTraining.Settings(p.integer("epochs"), p.integer("batchSize"),
                    (float) p.decimal("learningRate"), 0, (float) alpha, request.seed());
            MlpTraining.Outcome o = MlpTraining.train(reporter, request.cancellation(), labels, net, data, s,
                    e -> reporter.series("trainLoss", labels).add(e.epoch(), e.trainLoss()));
            MlpTraining.Epoch last = o.epochs().get(o.epochs().size() - 1);
            double loss = last.trainLoss();
            reporter.answer("testAccuracy", labels, o.testAccuracy());
            reporter.answer("valAccuracy", labels, last.valAccuracy());
            reporter.answer("finalTrainLoss", labels, loss);
            reporter.series("testAccuracyByAlpha").add(alpha, o.testAccuracy());
            reporter.metric("testAccuracy", labels, o.testAccuracy());
            reporter.metric("epochSeconds", labels, o.medianEpochSeconds());
            if (last.valAccuracy() > chosenVal) {
                chosenVal = last.valAccuracy();
                chosen = alpha;
            }
            if (loss < lowest) {
                lowest = loss;
                lowestLoss = alpha;
            }
            reporter.log(String.format("alpha %s: final train loss %.4f, test accuracy %.4f, %.1f s", alphaText(alpha), loss,
                    o.testAccuracy(), o.trainSeconds()));
        }
        reporter.answer("chosenAlpha", chosen);
        reporter.answer("lowestTrainLossAlpha", lowestLoss);
        reporter.log("chosen alpha (highest validation accuracy after the last epoch): " + alphaText(chosen)
                + "; lowest final training loss: alpha " + alphaText(lowestLoss));
        reporter.plot(LinePlot.builder("momentum-train-loss.png", "Training loss per epoch by momentum alpha, SGD (lr "
                        + p.decimal("learningRate") + ", batch " + p.integer("batchSize") + ")", "epoch",
                        "training loss (cross-entropy)")
                .everyLabelSet("trainLoss").build());
        reporter.plot(PlotSpec.lines("test-accuracy-by-alpha.png", "Test accuracy by momentum", "alpha", "test accuracy",
                "testAccuracyByAlpha"));
    }
}
