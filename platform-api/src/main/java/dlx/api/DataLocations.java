package dlx.api;

import java.nio.file.Path;
import java.util.Optional;

/** Where data sets live (injectable, and in every {@link RunRequest}). */
public interface DataLocations {

    /** The data folder the user configured (configuration key {@code data}: {@code DLX_DATA}), if any. */
    Optional<Path> userDataDir();

    /** A writable cache folder for derived data (key {@code cache}: {@code DLX_CACHE}, default {@code ~/.cache/dlx}). */
    Path cacheDir();
}
