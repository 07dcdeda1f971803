package dlx.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;

/**
 * Everything one run receives from the platform, and where it records its result. Every number
 * recorded here ends up in {@code result.json} and is published as a Micrometer meter tagged
 * {@code experiment=<id>} while the run goes.
 */
public interface RunContext {

    ExperimentSpec spec();

    /** Validated parameters (user values, else the profile's defaults). */
    Params params();

    default long seed() {
        return params().seed();
    }

    default Profile profile() {
        return params().profile();
    }

    /** The platform's registry, for meters of the plugin's own; tag them with {@link #tags()}. */
    MeterRegistry meters();

    /** {@code experiment=<id>}. */
    Tags tags();

    Progress progress(String task, long totalUnits);

    /** The run's own output folder ({@code DIR/<id>}); it exists. */
    Path outputDir();

    DataLocations data();

    /** The device the user asked for. */
    Device device();

    /** Records the device or execution provider really used (after any fallback). */
    void usedDevice(String description);

    /** True once the user asked to stop (Ctrl-C); long loops should check it. */
    boolean cancelled();

    /** Throws {@link java.util.concurrent.CancellationException} once cancelled. */
    default void checkCancelled() {
        if (cancelled()) {
            throw new java.util.concurrent.CancellationException(spec().id() + " was cancelled");
        }
    }

    /** A scalar metric (loss, accuracy, time, residual); published as gauge {@code dlx_<snake_case key>}. */
    void metric(String key, double value);

    /** An analytic or experimental answer by its catalogue key: number, boolean, text, list or map. */
    void answer(String key, Object value);

    /** The named series, created on first use. */
    Series series(String key);

    /** A file the run wrote into {@link #outputDir()} (PNG, CSV, ...), listed in the result. */
    void artifact(String fileName);

    /** Declares a line plot of recorded series, rendered as PNG when the run ends. */
    void plot(PlotSpec plot);

    /**
     * Records {@code residual} as metric {@code key} and marks the run failed (after it finishes
     * recording) when the residual is not below {@code tolerance}, or is NaN.
     */
    void verify(String key, double residual, double tolerance);

    /** A line of human-readable output (shown on the terminal, kept in the run log). */
    void log(String message);
}
