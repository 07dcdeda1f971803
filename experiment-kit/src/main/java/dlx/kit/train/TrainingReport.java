package dlx.kit.train;

import dlx.api.Labels;
import dlx.api.Progress;
import dlx.api.RunReporter;
import java.util.Map;

/**
 * Reports a training run to the platform: a progress bar over the steps, after every epoch the
 * series {@code trainLoss} and one series per evaluation key (x: epoch or step), and at the end
 * the metrics {@code msPerStep} and the throughput ({@code itemsPerSecond} under a chosen key),
 * all with this run's labels. A resumed run first replays the restored epochs and records
 * {@code resumedFromEpoch}.
 */
public final class TrainingReport implements TrainingListener {

    /** What the series' x is. */
    public enum Axis { EPOCH, STEP }

    private final RunReporter reporter;
    private final Labels labels;
    private final Axis axis;
    private final String throughputKey;
    private final boolean progressBar;
    private Progress progress;

    private TrainingReport(Builder b) {
        this.reporter = b.reporter;
        this.labels = b.labels;
        this.axis = b.axis;
        this.throughputKey = b.throughputKey;
        this.progressBar = b.progressBar;
    }

    public static Builder to(RunReporter reporter) {
        return new Builder(reporter);
    }

    @Override
    public void onTrainingBegin(TrainingState state) {
        if (state.resumedFromEpoch() > 0) {
            state.history().forEach(this::record);
            reporter.metric("resumedFromEpoch", labels, state.resumedFromEpoch());
            reporter.log(state.name() + ": resumed after epoch " + (state.resumedFromEpoch() - 1));
        }
        if (progressBar) {
            progress = reporter.progress(state.name(), Math.max(0, state.totalSteps() - state.steps()));
        }
    }

    @Override
    public void onStep(TrainingState state, TrainingTask.Step step) {
        if (progress != null) {
            progress.step();
        }
    }

    @Override
    public void onEpoch(TrainingState state, EpochResult epoch) {
        record(epoch);
        if (progress != null) {
            StringBuilder s = new StringBuilder("epoch " + epoch.epoch());
            if (Double.isFinite(epoch.trainLoss())) {
                s.append(String.format(java.util.Locale.ROOT, " train %.3f", epoch.trainLoss()));
            }
            epoch.evaluation().forEach((k, v) -> s.append(String.format(java.util.Locale.ROOT, " %s %.3f", k, v)));
            progress.status(s.toString());
        }
    }

    private void record(EpochResult epoch) {
        double x = axis == Axis.EPOCH ? epoch.epoch() : epoch.steps();
        if (Double.isFinite(epoch.trainLoss())) {
            reporter.series("trainLoss", labels).add(x, epoch.trainLoss());
        }
        for (Map.Entry<String, Double> e : epoch.evaluation().entrySet()) {
            reporter.series(e.getKey(), labels).add(x, e.getValue());
        }
    }

    @Override
    public void onTrainingEnd(TrainingState state, TrainingSummary summary) {
        if (progress != null) {
            progress.close();
        }
        if (summary.msPerStep() > 0) {
            reporter.metric("msPerStep", labels, summary.msPerStep());
        }
        if (throughputKey != null && summary.itemsPerSecond() > 0) {
            reporter.metric(throughputKey, labels, summary.itemsPerSecond());
        }
    }

    public static final class Builder {
        private final RunReporter reporter;
        private Labels labels = Labels.NONE;
        private Axis axis = Axis.EPOCH;
        private String throughputKey;
        private boolean progressBar = true;

        private Builder(RunReporter reporter) {
            this.reporter = reporter;
        }

        /** The labels of every series and metric of this run, e.g. {@code run=h32-small}. */
        public Builder labels(Labels l) { this.labels = l; return this; }
        public Builder axis(Axis a) { this.axis = a; return this; }
        /** Records the throughput of the timed steps under this key, e.g. {@code tokensPerSecond}. */
        public Builder throughput(String key) { this.throughputKey = key; return this; }
        public Builder noProgressBar() { this.progressBar = false; return this; }
        public TrainingReport build() { return new TrainingReport(this); }
    }
}
