package dlx.launcher.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The assembled distribution ({@code -Ddlx.dist}, set by failsafe) run as a user runs it, for the integration tests. */
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
        return finish(start(env, args), minutes, String.join(" ", args));
    }

    /** {@code bin/dlx args...} started: a 1 GiB heap unless {@code env} sets DLX_JAVA_OPTS, no DLX_PLUGINS from this environment. */
    public static Process start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home().resolve("bin/dlx").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DLX_JAVA_OPTS", "-Xmx1g");
        pb.environment().remove("DLX_PLUGINS");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs a command to its end; its output as text. */
    public static Run run(ProcessBuilder pb, int minutes) throws Exception {
        Process p = pb.start();
        p.getOutputStream().close();
        return finish(p, minutes, String.join(" ", pb.command()));
    }

    private static Run finish(Process p, int minutes, String what) throws Exception {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(what + " did not finish in " + minutes + " min");
        }
        return new Run(p.exitValue(), out.get(), err.get());
    }

    /** Scrapes {@code url} until the exposition matches {@code expected} (a 200 in Prometheus' text format each time). */
    public static String scrapeUntil(String url, Pattern expected, Duration limit) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200 || !resp.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
                throw new AssertionError("the endpoint answered " + resp.statusCode() + " "
                        + resp.headers().firstValue("Content-Type").orElse("(no content type)"));
            }
            body = resp.body();
            if (expected.matcher(body).find()) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the endpoint never showed '" + expected + "'; last scrape:\n" + body);
    }

    /** Validates an exposition with Prometheus' own promtool where it is installed (CI installs it): no errors, no lint warnings. */
    public static void promtoolAccepts(String exposition) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            System.err.println("promtool not installed; exposition format not checked by Prometheus");
            return;
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String report = read(p.getInputStream());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !report.isBlank()) {
            throw new AssertionError("promtool check metrics: " + report);
        }
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

    public static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
