package dlx.engine;

import dlx.api.DataLocations;
import dlx.api.Device;
import dlx.engine.meters.ProgressBars;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What the platform gives every run of one invocation: where results go, the registry, the data
 * locations, the requested device, how progress and log lines are shown, the cancel flag, and
 * whether a run that already finished ok runs again ({@code --rerun}).
 */
public record RunSettings(Path outRoot, MeterRegistry registry, DataLocations data, Device device,
                          ProgressBars progressBars, Consumer<String> log, AtomicBoolean cancel, boolean rerun) {

    /** Settings for tests and embedding: no terminal output, nothing cancelled, the given data locations. */
    public static RunSettings quiet(Path outRoot, MeterRegistry registry, DataLocations data) {
        return new RunSettings(outRoot, registry, data, Device.AUTO, ProgressBars.none(registry), line -> { },
                new AtomicBoolean(), false);
    }
}
