package dlx.api;

/**
 * What one run reports. Everything recorded here ends up in {@code result.json} and, while the
 * run goes, as Micrometer meters: one name per key ({@code dlx_<snake_case key>}), the
 * experiment, the run and the given {@link Labels} as labels.
 *
 * <p>Keys are lower camelCase ({@code trainLoss}); dimensions such as a model, a data set or an
 * encoder are labels, never glued into the key.
 */
public interface RunReporter {

    /** A scalar metric (loss, accuracy, time, residual). */
    default void metric(String key, double value) {
        metric(key, Labels.NONE, value);
    }

    /** A metric of one label set, e.g. {@code accuracy{model=mlp,testSet=rot90}}. */
    void metric(String key, Labels labels, double value);

    /** An analytic or experimental answer by its catalogue key: number, boolean, text, list or map. */
    default void answer(String key, Object value) {
        answer(key, Labels.NONE, value);
    }

    /**
     * An answer of one label set. In {@code result.json} labelled answers nest by label value in
     * label order: {@code answer("accuracy", Labels.of("model", "mlp", "testSet", "rot90"), 3.7)}
     * gives {@code "accuracy": {"mlp": {"rot90": 3.7}}}.
     */
    void answer(String key, Labels labels, Object value);

    /** The named curve, created on first use. */
    default Series series(String key) {
        return series(key, Labels.NONE);
    }

    /** The curve of one label set, e.g. {@code valLoss{run=h32-small}}. */
    Series series(String key, Labels labels);

    /** Declares a plot of recorded series (or of given values), rendered as PNG when the run ends. */
    void plot(PlotSpec plot);

    /** Declares a table, written as CSV when the run ends. */
    void table(TableSpec table);

    /** A file the run wrote itself into {@link RunRequest#outputDir()}, listed in the result. */
    void artifact(String fileName);

    /**
     * Records {@code residual} as metric {@code key} and marks the run failed (after it finishes
     * recording) when the residual is not below {@code tolerance}, or is NaN.
     */
    default void verify(String key, double residual, double tolerance) {
        verify(key, Labels.NONE, residual, tolerance);
    }

    /** A check of one label set, e.g. {@code countResidual{model=cnn2}}; a failure names the label set. */
    void verify(String key, Labels labels, double residual, double tolerance);

    /** A line of human-readable output (shown on the terminal, kept in the run log). */
    void log(String message);

    /** Progress of one long task: a bar on the terminal and a {@code dlx_progress_ratio} gauge. */
    Progress progress(String task, long totalUnits);

    /** Records the device or execution provider really used (after any fallback). */
    void usedDevice(String description);

    /**
     * Records where a data set (or model file) the run reads came from; the platform writes every
     * one into the result's {@code dataSources}. The default only logs it, for reporters that keep
     * no result.
     */
    default void dataSource(DataSource source) {
        log("data: " + source.name() + " (" + source.origin().id() + ") " + source.location());
    }
}
