package dlx.kit.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Where a {@link TrainingLoop} stands: epoch and step counters, skipped steps, finished epochs, a stop request. */
public final class TrainingState {
    private final String name;
    private final int epochs;
    private final int stepsPerEpoch;
    private int epoch;
    private long steps;
    private long skipped;
    private long lastStepNanos;
    private int resumedFromEpoch;
    private final List<EpochResult> history = new ArrayList<>();
    private String stopReason;

    TrainingState(String name, int epochs, int stepsPerEpoch) {
        this.name = name;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /** The run's name (a progress bar's, a log line's). */
    public String name() { return name; }
    public int epochs() { return epochs; }
    public int stepsPerEpoch() { return stepsPerEpoch; }
    public long totalSteps() { return (long) epochs * stepsPerEpoch; }

    /** The epoch being trained (from 1); the last finished one after the loop. */
    public int epoch() { return epoch; }

    /** Steps taken so far (applied or skipped), over all attempts when resumed. */
    public long steps() { return steps; }

    /** Steps whose update was not applied (non-finite loss or gradient). */
    public long skipped() { return skipped; }

    /** Wall time of the latest step (for a listener that times steps itself, e.g. a benchmark's median). */
    public long lastStepNanos() { return lastStepNanos; }

    /** The first epoch trained by this attempt when it resumed from a checkpoint, else 0. */
    public int resumedFromEpoch() { return resumedFromEpoch; }

    /** Every finished epoch, restored ones included. */
    public List<EpochResult> history() { return Collections.unmodifiableList(history); }

    public EpochResult last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    /** Asks the loop to stop after the current epoch. */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    public boolean stopRequested() { return stopReason != null; }
    public String stopReason() { return stopReason; }

    void beginEpoch(int e) { epoch = e; }
    void countStep(boolean applied, long nanos) {
        steps++;
        lastStepNanos = nanos;
        if (!applied) {
            skipped++;
        }
    }
    void addEpoch(EpochResult r) { history.add(r); }

    /** Restores the counters and finished epochs of a checkpoint; training goes on with the next epoch. */
    public void restore(long restoredSteps, long restoredSkipped, List<EpochResult> restoredHistory, String restoredStop) {
        history.clear();
        history.addAll(restoredHistory);
        steps = restoredSteps;
        skipped = restoredSkipped;
        epoch = restoredHistory.isEmpty() ? 0 : restoredHistory.get(restoredHistory.size() - 1).epoch();
        resumedFromEpoch = epoch + 1;
        stopReason = restoredStop;
    }
}
