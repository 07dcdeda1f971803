package dlx.bert;

import dlx.api.Labels;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.train.EpochResult;
import dlx.kit.train.TrainingLoop;
import dlx.kit.train.TrainingReport;
import dlx.kit.train.TrainingSummary;
import dlx.kit.train.TrainingTask;
import java.util.ArrayList;
import java.util.List;

/**
 * How a classifier's training ended: the last and best validation accuracy, the last epoch's train
 * loss, the training time and the median time of an epoch. {@link #train} runs the kit's loop the
 * same way for the frozen head and the fine-tuned encoder.
 */
record Trained(double valAccuracy, double bestValAccuracy, double finalTrainLoss, double trainSeconds,
               double medianEpochSeconds) {
    static final String VAL_ACCURACY = "valAccuracy";

    /**
     * {@code epochs} passes of {@code batches} steps each (the task reshuffles in beginEpoch),
     * evaluated after every epoch; series {@code trainLoss} and {@code valAccuracy} carry {@code labels}.
     * {@code what} names the progress bar, with the label values.
     */
    static Trained train(String what, TrainingTask task, int epochs, int batches, String divergenceAdvice,
                         RunRequest request, RunReporter reporter, Labels labels) throws Exception {
        String name = labels.isEmpty() ? what : what + " " + String.join("/", labels.asMap().values());
        TrainingSummary s = TrainingLoop.builder(name).epochs(epochs).stepsPerEpoch(batches)
                .cancellation(request.cancellation())
                .divergenceAdvice(divergenceAdvice)
                .listener(TrainingReport.to(reporter).labels(labels).throughput("examplesPerSecond").build())
                .build().run(task);
        List<Double> epochSeconds = new ArrayList<>();
        double best = 0;
        for (EpochResult e : s.history()) {
            epochSeconds.add(e.seconds());
            best = Math.max(best, e.get(VAL_ACCURACY));
        }
        EpochResult last = s.last();
        return new Trained(last == null ? Double.NaN : last.get(VAL_ACCURACY), best,
                last == null ? Double.NaN : last.trainLoss(), s.seconds(), Head.median(epochSeconds));
    }
}
