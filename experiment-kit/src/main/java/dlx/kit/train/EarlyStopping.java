package dlx.kit.train;

/**
 * Stops the loop when an evaluation value has not improved by more than {@code minDelta} for
 * {@code patience} epochs (0: never stops, only tracks the best epoch). Computed from the
 * loop's history, so it continues correctly after a resume.
 */
public final class EarlyStopping implements TrainingListener {
    private final String key;
    private final int patience;
    private final boolean minimise;
    private final double minDelta;
    private int bestEpoch = -1;
    private double best = Double.NaN;

    private EarlyStopping(String key, int patience, boolean minimise, double minDelta) {
        this.key = key;
        this.patience = patience;
        this.minimise = minimise;
        this.minDelta = minDelta;
    }

    /** Lower is better (a loss). */
    public static EarlyStopping minimising(String key, int patience) {
        return new EarlyStopping(key, patience, true, 1e-4);
    }

    /** Higher is better (an accuracy). */
    public static EarlyStopping maximising(String key, int patience) {
        return new EarlyStopping(key, patience, false, 0);
    }

    /** Replays the restored epochs; a resumed run whose last epoch had already run out of patience stays stopped. */
    @Override
    public void onTrainingBegin(TrainingState state) {
        state.history().forEach(this::track);
        if (state.resumedFromEpoch() > 0 && state.last() != null) {
            checkPatience(state, state.last());
        }
    }

    @Override
    public void onEpoch(TrainingState state, EpochResult epoch) {
        track(epoch);
        checkPatience(state, epoch);
    }

    private void checkPatience(TrainingState state, EpochResult epoch) {
        if (patience > 0 && epoch.epoch() > 0 && epoch.epoch() - bestEpoch >= patience) {
            state.requestStop("no improvement of " + key + " for " + patience + " epochs (best: epoch " + bestEpoch + ")");
        }
    }

    private void track(EpochResult e) {
        double v = e.get(key);
        if (!Double.isFinite(v)) {
            return;
        }
        if (bestEpoch < 0 || (minimise ? v < best - minDelta : v > best + minDelta)) {
            best = v;
            bestEpoch = e.epoch();
        }
    }

    /** The best value so far (NaN before any). */
    public double best() {
        return best;
    }

    /** The epoch of the best value (0: the untrained model), -1 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
