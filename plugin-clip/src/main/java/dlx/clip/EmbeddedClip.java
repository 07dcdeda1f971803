package dlx.clip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * dlx's default CLIP, {@value #NAME}: a small CLIP-style dual encoder trained on Fashion-MNIST by
 * {@code plugin-clip/src/main/python/train_fashion_clip.py} (its seed, settings and measured
 * zero-shot accuracy are in the folder's {@code training.json}), shipped in this plugin's jar under
 * {@value #RESOURCES} with the SHA-256 of every file in {@value #SUMS}. It is extracted into the
 * cache folder ({@code <cache>/clip/fashion-clip-<digest>/}, named after the digest of the sums, so
 * a new model never mixes with an old one) and every file is checked against its digest each time
 * the model is used; a missing or altered file is extracted again.
 */
final class EmbeddedClip {
    static final String NAME = "fashion-clip";
    static final String RESOURCES = "/dlx/clip/fashion-clip/";
    static final String SUMS = "SHA256SUMS";

    private EmbeddedClip() { }

    /** The verified model folder in {@code cacheDir}, extracted (again) where needed. */
    static synchronized Path folder(Path cacheDir) {
        try {
            byte[] sumsFile = read(SUMS);
            Map<String, String> sums = parse(new String(sumsFile, StandardCharsets.UTF_8));
            Path dir = cacheDir.resolve("clip").resolve(NAME + "-" + sha256(sumsFile).substring(0, 12));
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : sums.entrySet()) {
                Path file = dir.resolve(e.getKey());
                if (Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).equals(e.getValue())) {
                    continue;
                }
                byte[] content = read(e.getKey());
                String digest = sha256(content);
                if (!digest.equals(e.getValue())) {
                    throw new IllegalStateException("the embedded CLIP's " + e.getKey() + " in plugin-clip's jar has SHA-256 "
                            + digest + ", but " + SUMS + " says " + e.getValue() + ": the jar is damaged; reinstall dlx "
                            + "or pass --param model=<folder of a CLIP export>");
                }
                Path tmp = Files.createTempFile(dir, e.getKey(), ".part");
                try {
                    Files.write(tmp, content);
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract the embedded CLIP into " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code sha256sum}'s format: "hex  name" per line. */
    static Map<String, String> parse(String sums) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : sums.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split("\\s+\\*?", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}") || parts[1].contains("/") || parts[1].contains("\\")) {
                throw new IllegalStateException("the embedded CLIP's " + SUMS + " has a bad line: '" + line + "'");
            }
            out.put(parts[1], parts[0]);
        }
        return out;
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = EmbeddedClip.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCES + name + " is missing from plugin-clip's jar");
            }
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
