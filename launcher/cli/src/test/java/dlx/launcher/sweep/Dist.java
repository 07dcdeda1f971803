package dlx.launcher.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The assembled distribution ({@code -Ddlx.dist}, set by failsafe) run as a user runs it, for the sweep ITs. */
public final class Dist {
    private Dist() { }

    public record Run(int exit, String out, String err) {
        /** stdout and stderr, for assertion messages. */
        public String both() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    public static Path home() {
        return Path.of(System.getProperty("dlx.dist", "target/dlx")).toAbsolutePath();
    }

    /** {@code bin/dlx args...} with a small heap, the given environment on top of this one's, waiting at most {@code minutes}. */
    public static Run dlx(Map<String, String> env, int minutes, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home().resolve("bin/dlx").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DLX_JAVA_OPTS", "-Xmx1g");
        pb.environment().remove("DLX_PLUGINS");
        pb.environment().putAll(env);
        return run(pb, minutes);
    }

    /** Runs a command to its end; its output as text. */
    public static Run run(ProcessBuilder pb, int minutes) throws Exception {
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", pb.command()) + " did not finish in " + minutes + " min");
        }
        return new Run(p.exitValue(), out.get(), err.get());
    }

    public static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
