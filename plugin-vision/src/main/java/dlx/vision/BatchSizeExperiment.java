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
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vision.batch-size}: the scratch MLP trained to convergence (early stopping on validation
 * accuracy) for several batch sizes at one learning rate: test accuracy, train time, epochs and
 * gradient updates until the best epoch. A run whose best epoch came so late that early stopping
 * could not confirm it before the epoch cap is listed in {@code cappedRuns}: its counts are truncated.
 * The yes/no answers to the course's questions (CSCI567 3.2) follow from the runs.
 */
public final class BatchSizeExperiment implements Experiment {

    private final Configuration configuration;

    /** {@code configuration} chooses the scratch MLP's first-layer kernels ({@link FirstLayer#configured}). */
    @Inject
    public BatchSizeExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("vision.batch-size")
                .title("Scratch MLP: effect of the batch size")
                .description("For each batch size, a fresh scratch MLP (same seed) trained with SGD at one learning rate until "
                        + "early stopping: test accuracy, training time, epochs and gradient updates to the best epoch.")
                .param(ParamSpec.list("batchSizes", ParamType.INT_LIST, "1,5,20,100,500").quick("5,50").min(1).max(10_000))
                .param(ParamSpec.integer("epochs", 500).quick(2).min(1).help("epoch cap per batch size; a run whose best "
                        + "epoch comes within 'patience' epochs of it (at it, without early stopping) is listed in cappedRuns"))
                .param(ParamSpec.decimal("learningRate", 0.01).min(0))
                .param(ParamSpec.integer("patience", 5).quick(0).min(0)
                        .help("early stopping patience in epochs (0 = train all epochs)"))
                .param(VisionData.dataDirParam())
                .build();
    }

    /**
     * Whether a run's best epoch came at the epoch cap: so late that early stopping (patience
     * {@code patience}; 0 = none) could not have confirmed it before the cap, i.e. within the last
     * {@code max(1, patience)} epochs of the cap. Its epochs and updates to converge are then truncated.
     */
    static boolean capped(int bestEpoch, int cap, int patience) {
        return bestEpoch > cap - Math.max(1, patience);
    }

    /** Whether {@code v} never falls ({@code rising = true}) or never rises ({@code rising = false}) from entry to entry. */
    static boolean monotone(List<? extends Number> v, boolean rising) {
        for (int i = 1; i < v.size(); i++) {
            double d = v.get(i).doubleValue() - v.get(i - 1).doubleValue();
            if (rising ? d < 0 : d > 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        SparseImages[] data = VisionData.sparse(request, reporter);
        var p = request.params();
        int cap = p.integer("epochs");
        int patience = p.integer("patience");
        List<Integer> batchSizes = p.intList("batchSizes").stream().sorted().distinct().toList();
        List<Integer> capped = new ArrayList<>();
        List<Long> updates = new ArrayList<>();
        List<Integer> bestEpochs = new ArrayList<>();
        int bestBatch = 0;
        double bestVal = Double.NEGATIVE_INFINITY;
        for (int b : batchSizes) {
            Labels labels = Labels.of("batchSize", Integer.toString(b));
            ScratchMlp net = new ScratchMlp(request.seed(), FirstLayer.configured(configuration));
            MlpTraining.Settings s = new MlpTraining.Settings(cap, b, (float) p.decimal("learningRate"),
                    patience, 0f, request.seed());
            MlpTraining.Outcome o = MlpTraining.train(reporter, request.cancellation(), labels, net, data, s,
                    e -> reporter.series("valAccuracy", labels).add(e.epoch(), e.valAccuracy()));
            long upd = o.updatesToBest(data[0].count(), b);
            reporter.answer("testAccuracy", labels, o.testAccuracy());
            reporter.answer("valAccuracy", labels, o.bestValAccuracy());
            reporter.answer("trainSeconds", labels, o.trainSeconds());
            reporter.answer("epochs", labels, o.bestEpoch());
            reporter.answer("epochsRun", labels, o.epochsRun());
            reporter.answer("stoppedEarly", labels, o.stoppedEarly());
            reporter.answer("updates", labels, upd);
            reporter.series("testAccuracyByBatch").add(b, o.testAccuracy());
            reporter.series("trainSecondsByBatch").add(b, o.trainSeconds());
            reporter.series("epochsByBatch").add(b, o.bestEpoch());
            reporter.series("updatesByBatch").add(b, upd);
            reporter.metric("testAccuracy", labels, o.testAccuracy());
            reporter.metric("trainSeconds", labels, o.trainSeconds());
            reporter.metric("epochSeconds", labels, o.medianEpochSeconds());
            if (capped(o.bestEpoch(), cap, patience)) {
                capped.add(b);
            }
            updates.add(upd);
            bestEpochs.add(o.bestEpoch());
            if (o.bestValAccuracy() > bestVal) {
                bestVal = o.bestValAccuracy();
                bestBatch = b;
            }
            reporter.log(String.format("batch %d: test accuracy %.4f, best epoch %d (%d updates), %d epochs run, %.1f s%s",
                    b, o.testAccuracy(), o.bestEpoch(), upd, o.epochsRun(), o.trainSeconds(),
                    capped.contains(b) ? " -- best epoch at the cap of " + cap + ": not converged" : ""));
        }
        reporter.answer("cappedRuns", capped);
        // CSCI567 3.2, from the runs (batch sizes in increasing order; capped runs make these lower bounds).
        reporter.answer("fewerUpdatesWithLargerBatch", monotone(updates, false));
        reporter.answer("moreEpochsWithLargerBatch", monotone(bestEpochs, true));
        reporter.answer("bestBatchSize", bestBatch);
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
