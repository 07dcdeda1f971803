package dlx.engine.output;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The one place where a name a plugin chose (a series key, a table's or a plot's file name)
 * becomes a file the platform writes: only a plain file name directly inside the run's folder is
 * accepted, so that nothing the platform writes lands outside it. The API already refuses such
 * names when a spec is built; this is the engine's own check, whatever the spec's origin.
 */
public final class RunFiles {
    private static final int MAX_NAME = 255;

    private RunFiles() { }

    /** {@code dir/name}, or an {@link IllegalArgumentException} naming the file and what a name must be. */
    public static Path inside(Path dir, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.startsWith(".") || name.contains("/")
                || name.contains("\\") || name.indexOf('\0') >= 0 || name.contains(":")) {
            throw new IllegalArgumentException("file name '" + name + "' must be a plain name inside the run's folder "
                    + "(no separators, no leading dot, at most " + MAX_NAME + " characters)");
        }
        Path file;
        try {
            file = dir.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("file name '" + name + "' is not a valid file name: " + e.getReason(), e);
        }
        if (!dir.normalize().equals(file.getParent()) || file.isAbsolute() != dir.normalize().isAbsolute()) {
            throw new IllegalArgumentException("file name '" + name + "' would land outside the run's folder " + dir);
        }
        // A link left in the run's folder would carry the write elsewhere.
        if (Files.isSymbolicLink(file)) {
            throw new IllegalArgumentException(file + " is a symbolic link; the platform writes only plain files in the run's folder");
        }
        return file;
    }
}
