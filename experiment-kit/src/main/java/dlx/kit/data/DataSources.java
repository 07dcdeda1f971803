package dlx.kit.data;

import dlx.api.DataLocations;
import dlx.api.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Builds the {@link DataSource} a run reports for each data set it reads: where it came from
 * (the user's data folder, a parameter, a system package, the cache, the plugin's jar) with its
 * size and SHA-256. The digest of one file is that of its bytes ({@code sha256sum} gives the same);
 * that of several files is the SHA-256 of their {@code sha256sum}-style lines
 * ({@code <hex>  <relative name>\n}) in name order. Digests are remembered per file (path, size,
 * modification time), so a process that reads the same files in many runs hashes them once.
 */
public final class DataSources {
    private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();
    /** Above this total the files' size is recorded without a digest (hashing gigabytes of model weights every run is slow). */
    static final long DIGEST_LIMIT_BYTES = 1L << 30;

    private DataSources() { }

    /**
     * The origin of {@code location}: a folder the user passed as a parameter ({@code explicit}),
     * the user's data folder, the cache, or else a system package's folder.
     */
    public static DataSource.Origin origin(Path location, Optional<Path> explicit, DataLocations data) {
        Path p = location.toAbsolutePath().normalize();
        if (explicit.isPresent() && p.startsWith(explicit.get().toAbsolutePath().normalize())) {
            return DataSource.Origin.PARAMETER;
        }
        if (data.userDataDir().isPresent() && p.startsWith(data.userDataDir().get().toAbsolutePath().normalize())) {
            return DataSource.Origin.USER_DATA;
        }
        if (p.startsWith(data.cacheDir().toAbsolutePath().normalize())) {
            return DataSource.Origin.CACHE;
        }
        return DataSource.Origin.SYSTEM_PACKAGE;
    }

    /** {@code files} (inside {@code location}) as one data set: total size and digest. */
    public static DataSource files(String name, DataSource.Origin origin, Path location, List<Path> files) {
        long bytes = 0;
        List<String> lines = new ArrayList<>();
        List<Path> sorted = new ArrayList<>(files);
        sorted.sort(null);
        for (Path f : sorted) {
            try {
                bytes += Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of " + f, e);
            }
        }
        if (bytes > DIGEST_LIMIT_BYTES) {
            return DataSource.files(name, origin, location.toAbsolutePath().normalize().toString(), bytes, null);
        }
        for (Path f : sorted) {
            String relative = f.startsWith(location) && !f.equals(location) ? location.relativize(f).toString()
                    : f.getFileName().toString();
            lines.add(sha256(f) + "  " + relative + "\n");
        }
        String digest = sorted.size() == 1 ? lines.get(0).substring(0, 64)
                : sha256(String.join("", lines).getBytes(StandardCharsets.UTF_8));
        return DataSource.files(name, origin, location.toAbsolutePath().normalize().toString(), bytes, digest);
    }

    /** Every regular file under {@code dir} as one data set. */
    public static DataSource folder(String name, DataSource.Origin origin, Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return files(name, origin, dir, walk.filter(Files::isRegularFile).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * A resource of the plugin's jar ({@code resource} relative to {@code anchor}'s package) with
     * its size and digest. The plugin reads the bytes itself: a named module's resources are
     * encapsulated, so the kit cannot open them.
     */
    public static DataSource resource(String name, Class<?> anchor, String resource, byte[] content) {
        String absolute = resource.startsWith("/") ? resource.substring(1)
                : anchor.getPackageName().replace('.', '/') + "/" + resource;
        return DataSource.files(name, DataSource.Origin.PLUGIN_RESOURCE, absolute + " in " + jarOf(anchor),
                content.length, sha256(content));
    }

    /** The jar (or classes folder) a class came from, by file name. */
    static String jarOf(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "the plugin";
        }
        String path = source.getLocation().getPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    static String sha256(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            String key = file.toAbsolutePath().normalize() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
            String known = DIGESTS.get(key);
            if (known != null) {
                return known;
            }
            MessageDigest md = digest();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            String hex = HexFormat.of().formatHex(md.digest());
            DIGESTS.put(key, hex);
            return hex;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(digest().digest(content));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
