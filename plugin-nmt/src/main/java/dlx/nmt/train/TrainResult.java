package dlx.nmt.train;

import java.util.List;

/**
 * What a training run measured: per-epoch losses ([step, loss] pairs, including those of the
 * epochs before a resume), the best validation loss and speed (of the steps trained in this call);
 * {@code resumedFromEpoch} is the first epoch trained after loading a checkpoint, 0 for a fresh run.
 */
public record TrainResult(List<double[]> trainLoss, List<double[]> valLoss, double initialValLoss, double bestValLoss,
                          double finalValLoss, int bestEpoch, int steps, double msPerStep, double tokensPerSecond,
                          boolean stoppedEarly, int resumedFromEpoch) {
}
