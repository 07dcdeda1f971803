package dlx.kit.train;

import java.util.List;

/**
 * How a training run ended: the finished epochs, whether it ran to the end (else it failed or
 * was cancelled), why it stopped early if it did, and the throughput of this attempt's timed
 * steps (the first steps are warm-up and not timed).
 */
public record TrainingSummary(List<EpochResult> history, long steps, long skipped, boolean completed, String stopReason,
                              double msPerStep, double itemsPerSecond, double seconds, int resumedFromEpoch) {

    public TrainingSummary {
        history = List.copyOf(history);
    }

    public boolean stoppedEarly() {
        return stopReason != null;
    }

    public EpochResult last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
