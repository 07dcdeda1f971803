package dlx.api;

import java.nio.file.Path;
import java.util.Optional;

/** Where data sets live (platform service, injectable). */
public interface DataLocations {

    /** The data folder the user configured ({@code DLX_DATA} or {@code --data-dir}), if any. */
    Optional<Path> userDataDir();

    /** A writable cache folder for derived or downloaded data ({@code DLX_CACHE}, default {@code ~/.cache/dlx}). */
    Path cacheDir();
}
