package dlx.kit.train;

import java.util.Map;

/**
 * One finished epoch: its number (from 1), the global step count after it, the mean training
 * loss of its applied steps, the task's evaluation, and its wall time.
 */
public record EpochResult(int epoch, long steps, double trainLoss, Map<String, Double> evaluation, double seconds) {

    public EpochResult {
        evaluation = Map.copyOf(evaluation);
    }

    /** An evaluation value; NaN when the task did not report it. */
    public double get(String key) {
        return evaluation.getOrDefault(key, Double.NaN);
    }
}
