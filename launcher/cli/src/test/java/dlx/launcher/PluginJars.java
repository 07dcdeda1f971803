package dlx.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Builds small plugin jars from source at test time, compiled against the distribution's lib/. */
final class PluginJars {
    private PluginJars() { }

    /** Compiles {@code sources} (path inside the jar -> Java text) as one module and writes {@code jar}. */
    static Path build(Path lib, Path work, String name, Map<String, String> sources) throws IOException {
        Path src = work.resolve(name + "-src");
        Path classes = work.resolve(name + "-classes");
        Files.createDirectories(classes);
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f.toString());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "--release", "17", "--module-path", lib.toString(), "-d", classes.toString()));
        cmd.addAll(files);
        Process javac = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(javac.getInputStream().readAllBytes());
        try {
            if (javac.waitFor() != 0) {
                throw new IllegalStateException("test plugin " + name + " does not compile:\n" + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return jar(classes, work.resolve(name + ".jar"));
    }

    static Path jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    static void writeBytes(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }
}
