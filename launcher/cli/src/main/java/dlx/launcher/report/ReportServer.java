package dlx.launcher.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code dlx report --serve PORT}: the report on {@code http://127.0.0.1:PORT/}, rebuilt when the
 * results folder changes (a run starts, finishes, or its log grows); open pages notice the new
 * build (data/stamp.js) and redraw. Serves files of the report and of the results folder only
 * (the pages link PNGs, CSVs and logs where they are), from their closest common folder, so the
 * pages' relative links work unchanged.
 */
public final class ReportServer implements AutoCloseable {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml", "jpg", "image/jpeg", "json",
            "application/json");
    private final ReportSite site;
    private final Path root;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(4, daemon("dlx-report-http"));
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(daemon("dlx-report-watch"));
    private volatile long fingerprint;

    private ReportServer(ReportSite site, int port) throws IOException {
        this.site = site;
        Path r = site.results();
        while (!site.out().startsWith(r)) {
            r = r.getParent();
        }
        this.root = r;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
    }

    /**
     * Serves the site (built by the caller) on 127.0.0.1 ({@code port} 0: any free port) and checks the
     * results folder for changes every {@code every}, rebuilding it; {@code log} hears each rebuild's failure.
     */
    public static ReportServer start(ReportSite site, int port, Duration every, Consumer<String> log) throws IOException {
        ReportServer s = new ReportServer(site, port);
        s.fingerprint = fingerprint(site.results(), site.out());
        s.server.start();
        s.poller.scheduleWithFixedDelay(() -> {
            try {
                long now = fingerprint(site.results(), site.out());
                if (now != s.fingerprint) {
                    s.fingerprint = now;
                    site.build();
                }
            } catch (RuntimeException e) {
                log.accept("report not rebuilt: " + e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** The index page's address. */
    public URI url() {
        // the report is never the common folder itself: it may not hold the results (ReportSite refuses)
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + RunData.href(root.relativize(site.out()))
                + "/" + ReportSite.INDEX);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain", "GET only");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/")) {
                ex.getResponseHeaders().set("Location", url().getPath());
                ex.sendResponseHeaders(302, -1);
                return;
            }
            Path file;
            try {
                file = root.resolve(path.substring(1)).normalize();
            } catch (InvalidPathException e) {
                send(ex, 400, "text/plain", "bad path");
                return;
            }
            boolean inside = file.startsWith(site.out()) || file.startsWith(site.results());
            boolean hidden = path.contains("/."); // the lock, temp files
            if (!file.startsWith(root) || !inside || hidden || !Files.isRegularFile(file)) {
                send(ex, 404, "text/plain", "not found: " + path);
                return;
            }
            String name = file.getFileName().toString();
            String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
            byte[] body = Files.readAllBytes(file);
            ex.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "text/plain; charset=utf-8"));
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        }
    }

    private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    /**
     * What the results folder looks like, cheaply: the names and modification times of the
     * experiment and run folders (a result is written by a rename, which touches its folder) and
     * the log size of each running run.
     */
    static long fingerprint(Path results, Path out) {
        long h = 1;
        try (Stream<Path> s = Files.walk(results, 2)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.startsWith(out)) {
                    continue;
                }
                h = 31 * h + p.hashCode();
                h = 31 * h + Files.getLastModifiedTime(p).toMillis();
                if (Files.exists(p.resolve(".lock")) && Files.exists(p.resolve("run.log"))) {
                    h = 31 * h + Files.size(p.resolve("run.log"));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return h ^ System.nanoTime(); // something moved while we looked: look again (rebuild)
        }
        return h;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
