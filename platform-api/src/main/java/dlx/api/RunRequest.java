package dlx.api;

import java.nio.file.Path;

/** What one run receives from the platform: its spec, validated parameters, folder, device, data and cancellation. */
public interface RunRequest {

    ExperimentSpec spec();

    /** Validated parameters (user values, else the profile's defaults). */
    Params params();

    default long seed() {
        return params().seed();
    }

    default Profile profile() {
        return params().profile();
    }

    /** The run's own folder (it exists): checkpoints and files the run writes itself go here. */
    Path outputDir();

    /** The device the user asked for. */
    Device device();

    DataLocations data();

    /** Set once the user asked to stop (Ctrl-C, a time limit); long loops check it. */
    CancellationToken cancellation();

    /** Throws {@link java.util.concurrent.CancellationException} once cancelled. */
    default void checkCancelled() {
        cancellation().throwIfCancelled();
    }
}
