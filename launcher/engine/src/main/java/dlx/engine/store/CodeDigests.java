package dlx.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * SHA-256 digests of the code a run executes: the jar (or classes folder, in tests) an experiment
 * class comes from, and the experiment kit's. Jars are built byte-reproducibly
 * ({@code project.build.outputTimestamp}), so the same sources give the same digests.
 */
public final class CodeDigests {
    /** A class of the kit, looked up by name: the engine does not depend on the kit. */
    private static final String KIT_CLASS = "dlx/kit/djl/Devices.class";
    private static final Map<Path, String> CACHE = new ConcurrentHashMap<>();

    private CodeDigests() { }

    /** Where a class was loaded from (a jar or a classes folder), if known. */
    public static Optional<Path> location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The kit's jar or folder as seen from a plugin's class loader; empty when the plugin does not see the kit. */
    public static Optional<Path> kitLocation(ClassLoader pluginLoader) {
        URL url = pluginLoader == null ? ClassLoader.getSystemResource(KIT_CLASS) : pluginLoader.getResource(KIT_CLASS);
        if (url == null) {
            return Optional.empty();
        }
        try {
            String s = url.toString();
            if (s.startsWith("jar:")) {
                return Optional.of(Path.of(URI.create(s.substring(4, s.indexOf("!/")))));
            }
            if (s.startsWith("file:")) {
                Path file = Path.of(url.toURI());
                return Optional.of(file.getParent().getParent().getParent().getParent()); // .../classes/dlx/kit/djl/X.class
            }
        } catch (Exception e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Hex SHA-256 of a file, or of a folder's files (relative names and contents, in name order). */
    public static String sha256(Path location) {
        return CACHE.computeIfAbsent(location.toAbsolutePath().normalize(), CodeDigests::compute);
    }

    private static String compute(Path location) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(location)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(location)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    md.update(location.relativize(f).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    update(md, f);
                }
            } else {
                update(md, location);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location + " to compute its digest", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest md, Path file) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
    }
}
