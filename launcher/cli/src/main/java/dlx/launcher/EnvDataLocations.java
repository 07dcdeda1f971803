package dlx.kit.runtime;

import dlx.api.DataLocations;
import java.nio.file.Path;
import java.util.Optional;

/** Data locations from {@code DLX_DATA} and {@code DLX_CACHE} (default {@code ~/.cache/dlx}). */
public record EnvDataLocations(Optional<Path> userDataDir, Path cacheDir) implements DataLocations {

    public static EnvDataLocations fromEnvironment() {
        String data = System.getenv("DLX_DATA");
        String cache = System.getenv("DLX_CACHE");
        return new EnvDataLocations(
                data == null || data.isBlank() ? Optional.empty() : Optional.of(Path.of(data)),
                cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "dlx") : Path.of(cache));
    }

    public EnvDataLocations withUserDataDir(Path dir) {
        return new EnvDataLocations(Optional.ofNullable(dir), cacheDir);
    }
}
