package dlx.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint against real clients: a stalled client and 200 concurrent scrapes, exact
 * paths, TLS and basic authentication from a web configuration file, and a real Prometheus server
 * scraping it all the while.
 */
class EndpointIT {
    @TempDir
    Path work;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Starts a lingering run with the endpoint and returns its URL. */
    private String lingeringRun(String... extra) throws Exception {
        Path dist = Path.of(System.getProperty("dlx.dist", "target/dlx"));
        List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/dlx").toString(), "run", "theory.normalization",
                "--profile", "quick", "--out", work.resolve("out").toString(), "--metrics-port", "0", "--linger", "120"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DLX_JAVA_OPTS", "-Xmx1g");
        pb.environment().put("DLX_CACHE", work.resolve("cache").toString());
        Process p = pb.start();
        processes.add(p);
        CompletableFuture.runAsync(() -> drain(p.getInputStream()));
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        for (String line; (line = err.readLine()) != null; ) {
            Matcher m = Pattern.compile("metrics at (https?://\\S+)").matcher(line);
            if (m.find()) {
                CompletableFuture.runAsync(() -> drain(p.getErrorStream()));
                return m.group(1);
            }
        }
        throw new AssertionError("the run printed no endpoint URL");
    }

    /** Sleeps, for a polling loop's condition; true unless interrupted. */
    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void drain(java.io.InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // process ended
        }
    }

    @Test
    void aStalledClientBlocksNoScrapeAnd200ConcurrentScrapesAnswerAndOnlyTheExactPathServes() throws Exception {
        String url = lingeringRun();
        URI uri = URI.create(url);
        // A client that sends half a request and holds the socket.
        try (Socket stalled = new Socket(uri.getHost(), uri.getPort())) {
            stalled.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            long t0 = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                scrapes.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> s : scrapes) {
                HttpResponse<String> r = s.get(20, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("jvm_memory_used_bytes");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // Prometheus' default scrape timeout is 10 s; the 200 scrapes together finish well inside it.
            assertThat(seconds).as("200 concurrent scrapes").isLessThan(10);
            for (String path : List.of("/metricsXYZ", "/metrics/extra", "/nothing")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri.resolve(path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void tlsAndBasicAuthenticationFromAWebConfigAndARealPrometheusScrapesThroughThemAndAStalledClient() throws Exception {
        Path cert = work.resolve("server.crt");
        Path key = work.resolve("server.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        drain(openssl.getInputStream());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, "s3cret".toCharArray());
        Path web = Files.writeString(work.resolve("web.yml"), "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "basic_auth_users:\n  prometheus: " + hash + "\n");
        String url = lingeringRun("--web-config", web.toString());
        assertThat(url).startsWith("https://127.0.0.1:");
        URI uri = URI.create(url);

        HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        String basic = "Basic " + Base64.getEncoder().encodeToString("prometheus:s3cret".getBytes(StandardCharsets.UTF_8));
        String wrong = "Basic " + Base64.getEncoder().encodeToString("prometheus:guess".getBytes(StandardCharsets.UTF_8));
        assertThat(https.send(HttpRequest.newBuilder(uri).header("Authorization", wrong).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        // The run may still be going (the platform seeds the engines first): scrape until it has finished.
        HttpResponse<String> ok;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        do {
            ok = https.send(HttpRequest.newBuilder(uri).header("Authorization", basic).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
        } while (!ok.body().contains("dlx_runs_total{") && System.nanoTime() < until && sleep(200));
        assertThat(ok.body()).contains("dlx_runs_total{experiment=\"theory.normalization\",status=\"ok\"} 1.0");

        Path promtool = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(promtool)) {
            System.err.println("prometheus not installed; the real-server scrape is not checked");
            return;
        }
        int promPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            promPort = free.getLocalPort();
        }
        Path config = Files.writeString(work.resolve("prometheus.yml"), """
                global: { scrape_interval: 1s, scrape_timeout: 1s }
                scrape_configs:
                  - job_name: dlx
                    scheme: https
                    tls_config: { ca_file: %s }
                    basic_auth: { username: prometheus, password: s3cret }
                    static_configs: [ { targets: ["127.0.0.1:%d"] } ]
                """.formatted(cert, uri.getPort()));
        Process prometheus = new ProcessBuilder(promtool.toString(), "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + promPort, "--storage.tsdb.path=" + work.resolve("tsdb"))
                .redirectErrorStream(true).start();
        processes.add(prometheus);
        CompletableFuture.runAsync(() -> drain(prometheus.getInputStream()));
        try (Socket stalled = new Socket(uri.getHost(), uri.getPort())) {
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // half a TLS hello, then silence
            stalled.getOutputStream().flush();
            HttpClient http = HttpClient.newHttpClient();
            URI query = URI.create("http://127.0.0.1:" + promPort
                    + "/api/v1/query?query=dlx_runs_total%7Bjob%3D%22dlx%22%7D%20and%20on()%20up%7Bjob%3D%22dlx%22%7D%3D%3D1");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String body = "";
            while (System.nanoTime() < deadline) {
                try {
                    body = http.send(HttpRequest.newBuilder(query).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                    if (body.contains("\"experiment\":\"theory.normalization\"")) {
                        break;
                    }
                } catch (IOException e) {
                    // Prometheus is still starting
                }
                Thread.sleep(500);
            }
            assertThat(body).as("Prometheus scraped dlx over TLS with basic auth, up == 1")
                    .contains("\"experiment\":\"theory.normalization\"").contains("\"status\":\"ok\"");
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("dlx", CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(cert)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
