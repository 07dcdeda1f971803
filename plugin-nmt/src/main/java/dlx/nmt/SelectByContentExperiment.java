package dlx.nmt;

import dlx.nmt.data.SelectTask;

/** {@code nmt.select-by-content}: copy the value of the token whose key matches the query. */
public final class SelectByContentExperiment extends SelectExperiment {
    public SelectByContentExperiment() {
        super(SelectTask.Mode.CONTENT, "nmt.select-by-content", "One-layer attention that selects by content");
    }
}
