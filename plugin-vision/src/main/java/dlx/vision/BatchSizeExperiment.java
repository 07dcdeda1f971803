package dlx.vision;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.RunContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    public void run(RunContext ctx) throws Exception {
        SparseImages[] data = VisionData.sparse(ctx);
        var p = ctx.params();
        List<Integer> sizes = p.intList("batchSizes");
        Map<String, Object> testAccuracy = new LinkedHashMap<>();
        Map<String, Object> trainSeconds = new LinkedHashMap<>();
        Map<String, Object> epochs = new LinkedHashMap<>();
        Map<String, Object> updates = new LinkedHashMap<>();
        List<String> valCurves = new ArrayList<>();
        for (int b : sizes) {
            String key = Integer.toString(b);
            String curve = "valAccuracyBatch" + b;
            valCurves.add(curve);
            ScratchMlp net = new ScratchMlp(ctx.seed());
            MlpTraining.Settings s = new MlpTraining.Settings(p.integer("epochs"), b, (float) p.decimal("learningRate"),
                    p.integer("patience"), 0f, ctx.seed());
            MlpTraining.Outcome o = MlpTraining.train(ctx, "batch " + b, net, data, s,
                    e -> ctx.series(curve).add(e.epoch(), e.valAccuracy()));
            long upd = o.updatesToBest(data[0].count(), b);
            testAccuracy.put(key, o.testAccuracy());
            trainSeconds.put(key, o.trainSeconds());
            epochs.put(key, o.bestEpoch());
            updates.put(key, upd);
            ctx.series("testAccuracyByBatch").add(b, o.testAccuracy());
            ctx.series("trainSecondsByBatch").add(b, o.trainSeconds());
            ctx.series("epochsByBatch").add(b, o.bestEpoch());
            ctx.series("updatesByBatch").add(b, upd);
            ctx.metric("testAccuracyBatch" + b, o.testAccuracy());
            ctx.metric("trainSecondsBatch" + b, o.trainSeconds());
            ctx.metric("epochSecondsBatch" + b, o.medianEpochSeconds());
            ctx.log(String.format("batch %d: test accuracy %.4f, best epoch %d (%d updates), %d epochs run, %.1f s",
                    b, o.testAccuracy(), o.bestEpoch(), upd, o.epochsRun(), o.trainSeconds()));
        }
        ctx.answer("testAccuracy", testAccuracy);
        ctx.answer("trainSeconds", trainSeconds);
        ctx.answer("epochs", epochs);
        ctx.answer("updates", updates);
        ctx.plot(PlotSpec.lines("test-accuracy-by-batch.png", "Test accuracy by batch size", "batch size", "test accuracy",
                "testAccuracyByBatch").withLogX());
        ctx.plot(PlotSpec.lines("updates-by-batch.png", "Epochs and gradient updates to the best epoch", "batch size",
                "count", "updatesByBatch", "epochsByBatch").logLog());
        ctx.plot(PlotSpec.lines("train-seconds-by-batch.png", "Training time by batch size", "batch size", "seconds",
                "trainSecondsByBatch").withLogX());
        ctx.plot(PlotSpec.lines("val-accuracy.png", "Validation accuracy per epoch", "epoch", "validation accuracy",
                valCurves.toArray(String[]::new)));
    }
}
