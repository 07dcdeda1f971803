package dlx.launcher.metrics;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dlx.launcher.UsageException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the registry in Prometheus text format at exactly {@code /metrics}, on 127.0.0.1 unless
 * another address is given. A small pool of threads and the JDK server's request/response time
 * limits keep one slow or stalled client from blocking the scrapes of others. A web configuration
 * ({@link WebConfig}) adds TLS and basic authentication, as the Prometheus exporters do.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final int THREADS = 4;

    static {
        // The JDK server drops a connection whose request (or response) takes longer than this.
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "5"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "10"));
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final boolean tls;

    private MetricsEndpoint(HttpServer server, ExecutorService pool, boolean tls) {
        this.server = server;
        this.pool = pool;
        this.tls = tls;
    }

    /** Starts serving on 127.0.0.1 without TLS or authentication. */
    public static MetricsEndpoint start(PrometheusMeterRegistry registry, int port) throws IOException {
        return start(registry, InetAddress.getLoopbackAddress(), port, null);
    }

    /** Starts serving; a port that is taken or not allowed is a usage error naming the address and port. */
    public static MetricsEndpoint start(PrometheusMeterRegistry registry, InetAddress address, int port, WebConfig web)
            throws IOException {
        HttpServer server;
        try {
            if (web != null && web.tls()) {
                HttpsServer https = HttpsServer.create(new InetSocketAddress(address, port), 64);
                https.setHttpsConfigurator(new HttpsConfigurator(Tls.context(web.certFile(), web.keyFile())));
                server = https;
            } else {
                server = HttpServer.create(new InetSocketAddress(address, port), 64);
            }
        } catch (BindException e) {
            throw new UsageException("--metrics-port " + port + ": cannot listen on " + address.getHostAddress() + ":" + port
                    + " (" + e.getMessage() + "); choose another port, or 0 for any free one");
        }
        HttpContext context = server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/metrics")) {
                    metrics(exchange, registry);
                } else {
                    text(exchange, path.equals("/") ? 200 : 404, path.equals("/") ? "dlx: metrics at /metrics\n" : "not found\n");
                }
            }
        });
        if (web != null && !web.basicAuthUsers().isEmpty()) {
            context.setAuthenticator(new BcryptAuthenticator(web.basicAuthUsers()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "dlx-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.start();
        return new MetricsEndpoint(server, pool, web != null && web.tls());
    }

    private static void metrics(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(200, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void text(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        InetAddress a = server.getAddress().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a instanceof java.net.Inet6Address
                ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return (tls ? "https" : "http") + "://" + host + ":" + port() + "/metrics";
    }

    /** Basic authentication against bcrypt hashes; verified hashes are remembered, so a scrape costs one bcrypt once. */
    private static final class BcryptAuthenticator extends BasicAuthenticator {
        private final java.util.Map<String, String> users;
        private final java.util.Set<String> verified = java.util.concurrent.ConcurrentHashMap.newKeySet();

        BcryptAuthenticator(java.util.Map<String, String> users) {
            super("dlx metrics");
            this.users = users;
        }

        @Override
        public boolean checkCredentials(String user, String password) {
            String hash = users.get(user);
            if (hash == null) {
                return false;
            }
            String token = user + '\u0000' + password;
            if (verified.contains(token)) {
                return true;
            }
            boolean ok = BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
            if (ok) {
                verified.add(token);
            }
            return ok;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
