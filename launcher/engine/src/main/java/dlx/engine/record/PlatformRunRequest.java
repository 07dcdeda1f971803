package dlx.engine.record;

import dlx.api.CancellationToken;
import dlx.api.DataLocations;
import dlx.api.Device;
import dlx.api.ExperimentSpec;
import dlx.api.Params;
import dlx.api.RunRequest;
import java.nio.file.Path;

/** What the engine hands one run. */
public record PlatformRunRequest(ExperimentSpec spec, Params params, Path outputDir, Device device,
                                 DataLocations data, CancellationToken cancellation) implements RunRequest {
}
