package dlx.nmt;

import dlx.nmt.data.SelectTask;

/** {@code nmt.select-by-position}: copy the value of the first token. */
public final class SelectByPositionExperiment extends SelectExperiment {
    public SelectByPositionExperiment() {
        super(SelectTask.Mode.POSITION, "nmt.select-by-position", "One-layer attention that selects by position");
    }
}
