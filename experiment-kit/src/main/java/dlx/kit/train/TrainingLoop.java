package dlx.kit.train;

import dlx.api.CancellationToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one training loop of the plugins: epochs of steps, an evaluation after each epoch (and
 * optionally before the first), divergence detection, timing without the warm-up steps,
 * cancellation; everything else is a {@link TrainingListener} (reporting, early stopping,
 * checkpoints). Resuming is a listener that is also {@link Resumable} ({@link Checkpoints}).
 *
 * <pre>{@code
 * TrainingSummary s = TrainingLoop.builder("h32-small").epochs(10).stepsPerEpoch(200)
 *         .cancellation(request.cancellation())
 *         .listener(TrainingReport.to(reporter).labels(Labels.of("run", "h32-small")).build())
 *         .listener(EarlyStopping.minimising("valLoss", 3))
 *         .build().run(task);
 * }</pre>
 */
public final class TrainingLoop {
    private final String name;
    private final int epochs;
    private final int stepsPerEpoch;
    private final boolean evaluateFirst;
    private final int warmupSteps;
    private final double maxSkippedFraction;
    private final String divergenceAdvice;
    private final CancellationToken cancellation;
    private final List<TrainingListener> listeners;

    private TrainingLoop(Builder b) {
        this.name = b.name;
        this.epochs = b.epochs;
        this.stepsPerEpoch = b.stepsPerEpoch;
        this.evaluateFirst = b.evaluateFirst;
        this.warmupSteps = b.warmupSteps;
        this.maxSkippedFraction = b.maxSkippedFraction;
        this.divergenceAdvice = b.divergenceAdvice;
        this.cancellation = b.cancellation;
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public TrainingSummary run(TrainingTask task) throws Exception {
        TrainingState state = new TrainingState(name, epochs, stepsPerEpoch);
        for (TrainingListener l : listeners) {
            if (l instanceof Resumable r && r.restore(state)) {
                break;
            }
        }
        boolean resumed = state.resumedFromEpoch() > 0;
        long started = System.nanoTime();
        long attemptSteps = 0;
        long timedSteps = 0;
        long timedNanos = 0;
        long timedItems = 0;
        // From the steps this attempt will take, so that a resumed attempt times its own steps too.
        long warmup = Math.min(warmupSteps, Math.max(0, state.totalSteps() - state.steps()) / 5);
        boolean completed = false;
        TrainingSummary summary = null;
        try {
            if (evaluateFirst && !resumed) {
                EpochResult zero = new EpochResult(0, 0, Double.NaN, task.evaluate(), 0);
                state.addEpoch(zero);
            }
            listeners.forEach(l -> l.onTrainingBegin(state));
            if (evaluateFirst && !resumed) {
                listeners.forEach(l -> l.onEpoch(state, state.last()));
            }
            for (int epoch = state.epoch() + 1; epoch <= epochs && !state.stopRequested(); epoch++) {
                state.beginEpoch(epoch);
                task.beginEpoch(epoch);
                long epochStart = System.nanoTime();
                double sum = 0;
                int counted = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    cancellation.throwIfCancelled();
                    long t0 = System.nanoTime();
                    TrainingTask.Step step = task.step(state);
                    long dt = System.nanoTime() - t0;
                    boolean applied = step.applied() && Double.isFinite(step.loss());
                    state.countStep(applied, dt);
                    if (applied) {
                        sum += step.loss();
                        counted++;
                    }
                    if (attemptSteps++ >= warmup) {
                        timedNanos += dt;
                        timedSteps++;
                        timedItems += step.items();
                    }
                    for (TrainingListener l : listeners) {
                        l.onStep(state, step);
                    }
                }
                checkDivergence(state, counted);
                Map<String, Double> evaluation = task.evaluate();
                EpochResult result = new EpochResult(epoch, state.steps(), counted == 0 ? Double.NaN : sum / counted,
                        evaluation, (System.nanoTime() - epochStart) / 1e9);
                state.addEpoch(result);
                for (TrainingListener l : listeners) {
                    l.onEpoch(state, result);
                }
            }
            completed = true;
        } finally {
            summary = new TrainingSummary(state.history(), state.steps(), state.skipped(), completed,
                    state.stopReason(), timedSteps == 0 ? 0 : timedNanos / 1e6 / timedSteps,
                    timedNanos == 0 ? 0 : timedItems / (timedNanos / 1e9), (System.nanoTime() - started) / 1e9,
                    state.resumedFromEpoch());
            for (TrainingListener l : listeners) {
                l.onTrainingEnd(state, summary);
            }
        }
        return summary;
    }

    private void checkDivergence(TrainingState state, int appliedThisEpoch) {
        boolean tooMany = state.skipped() > Math.max(10, (long) (state.steps() * maxSkippedFraction));
        if (tooMany || (appliedThisEpoch == 0 && stepsPerEpoch > 0)) {
            throw new IllegalStateException(name + ": training diverged in epoch " + state.epoch() + " (" + state.skipped()
                    + " of " + state.steps() + " steps had a non-finite loss or gradient)"
                    + (divergenceAdvice == null ? "" : "; " + divergenceAdvice));
        }
    }

    public static final class Builder {
        private final String name;
        private int epochs = 1;
        private int stepsPerEpoch = 1;
        private boolean evaluateFirst;
        private int warmupSteps = 10;
        private double maxSkippedFraction = 0.1;
        private String divergenceAdvice;
        private CancellationToken cancellation = CancellationToken.none();
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder epochs(int n) { this.epochs = n; return this; }
        public Builder stepsPerEpoch(int n) { this.stepsPerEpoch = n; return this; }
        /** Evaluates the untrained model too, as epoch 0 (its train loss is NaN). */
        public Builder evaluateFirst() { this.evaluateFirst = true; return this; }
        /** Steps left out of the timing at the start of each attempt (at most a fifth of its steps); default 10. */
        public Builder warmupSteps(int n) { this.warmupSteps = n; return this; }
        /** The run fails when more than this fraction of steps (and more than 10) were skipped; default 0.1. */
        public Builder maxSkippedFraction(double f) { this.maxSkippedFraction = f; return this; }
        /** What the divergence error suggests, e.g. "try a lower learningRate (now 1e-3)". */
        public Builder divergenceAdvice(String advice) { this.divergenceAdvice = advice; return this; }
        public Builder cancellation(CancellationToken token) { this.cancellation = token; return this; }
        public Builder listener(TrainingListener l) { this.listeners.add(l); return this; }

        public TrainingLoop build() {
            if (epochs < 0 || stepsPerEpoch < 0) {
                throw new IllegalArgumentException(name + ": epochs and steps per epoch must be >= 0");
            }
            return new TrainingLoop(this);
        }
    }
}
