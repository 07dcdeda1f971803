package dlx.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds draws that no seed controls in a plugin's sources: {@code Math.random()}, {@code new
 * Random()} and {@code new SplittableRandom()} without a seed, {@code ThreadLocalRandom},
 * {@code Collections.shuffle} without a generator. The platform seeds the engines' generators;
 * Java's own have no global seed, so a plugin must derive each from {@code request.seed()}.
 */
public final class UnseededRandomness {
    private static final Pattern UNSEEDED = Pattern.compile(
            "Math\\.random\\(|new (Random|SplittableRandom)\\(\\s*\\)|ThreadLocalRandom|Collections\\.shuffle\\([^,()]*\\)");

    private UnseededRandomness() { }

    /** Each offending line as {@code file:line: text}; empty when every draw is seeded. */
    public static List<String> in(Path sourceRoot) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (UNSEEDED.matcher(lines.get(i)).find()) {
                        found.add(sourceRoot.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + sourceRoot, e);
        }
        return found;
    }
}
