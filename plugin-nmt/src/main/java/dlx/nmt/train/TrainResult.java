package dlx.nmt.train;

import dlx.kit.train.TrainingSummary;

/**
 * What a training run measured: the loop's summary (epochs, including those restored from a
 * checkpoint; speed of this attempt's steps), the validation loss of the untrained model, the
 * lowest one and its epoch, and the last one.
 */
public record TrainResult(TrainingSummary summary, double initialValLoss, double bestValLoss, int bestEpoch,
                          double finalValLoss) {

    public double msPerStep() {
        return summary.msPerStep();
    }

    public long steps() {
        return summary.steps();
    }
}
