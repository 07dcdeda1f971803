package dlx.vision;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;

/**
 * {@code vision.batch-size}: the scratch MLP trained to convergence (early stopping on validation
 * accuracy) for several batch sizes at one learning rate: test accuracy, train time, epochs and
 * gradient updates until the best epoch.
 */
public final class BatchSizeExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("vision.batch-size")
                .title("Scratch MLP: effect of the batch size")
                .description("For each batch size, a fresh scratch MLP (same seed) trained with SGD at one learning rate until "
                        + "early stopping: test accuracy, training time, epochs and gradient updates to the best epoch.")
                .param(ParamSpec.list("batchSizes", ParamType.INT_LIST, "1,5,20,100,500").quick("5,50").min(1).max(10_000))
                .param(ParamSpec.integer("epochs", 100).quick(2).min(1).help("maximum number of epochs per batch size"))
                .param(ParamSpec.decimal("learningRate", 0.01).min(0))
                .param(ParamSpec.integer("patience", 5).quick(0).min(0)
                        .help("early stopping patience in epochs (0 = train all epochs)"))
                .param(VisionData.dataDirParam())
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        SparseImages[] data = VisionData.sparse(request, reporter);
        var p = request.params();
        for (int b : p.intList("batchSizes")) {
            Labels labels = Labels.of("batchSize", Integer.toString(b));
            ScratchMlp net = new ScratchMlp(request.seed());
            MlpTraining.Settings s = new MlpTraining.Settings(p.integer("epochs"), b, (float) p.decimal("learningRate"),
                    p.integer("patience"), 0f, request.seed());
            MlpTraining.Outcome o = MlpTraining.train(reporter, request.cancellation(), labels, net, data, s,
                    e -> reporter.series("valAccuracy", labels).add(e.epoch(), e.valAccuracy()));
            long upd = o.updatesToBest(data[0].count(), b);
            reporter.answer("testAccuracy", labels, o.testAccuracy());
            reporter.answer("trainSeconds", labels, o.trainSeconds());
            reporter.answer("epochs", labels, o.bestEpoch());
            reporter.answer("updates", labels, upd);
            reporter.series("testAccuracyByBatch").add(b, o.testAccuracy());
            reporter.series("trainSecondsByBatch").add(b, o.trainSeconds());
            reporter.series("epochsByBatch").add(b, o.bestEpoch());
            reporter.series("updatesByBatch").add(b, upd);
            reporter.metric("testAccuracy", labels, o.testAccuracy());
            reporter.metric("trainSeconds", labels, o.trainSeconds());
            reporter.metric("epochSeconds", labels, o.medianEpochSeconds());
            reporter.log(String.format("batch %d: test accuracy %.4f, best epoch %d (%d updates), %d epochs run, %.1f s",
                    b, o.testAccuracy(), o.bestEpoch(), upd, o.epochsRun(), o.trainSeconds()));
        }
        reporter.plot(PlotSpec.lines("test-accuracy-by-batch.png", "Test accuracy by batch size", "batch size", "test accuracy",
                "testAccuracyByBatch").withLogX());
        reporter.plot(PlotSpec.lines("updates-by-batch.png", "Epochs and gradient updates to the best epoch", "batch size",
                "count", "updatesByBatch", "epochsByBatch").logLog());
        reporter.plot(PlotSpec.lines("train-seconds-by-batch.png", "Training time by batch size", "batch size", "seconds",
                "trainSecondsByBatch").withLogX());
        reporter.plot(LinePlot.builder("val-accuracy.png", "Validation accuracy per epoch by batch size", "epoch",
                "validation accuracy").everyLabelSet("valAccuracy").build());
    }
}
