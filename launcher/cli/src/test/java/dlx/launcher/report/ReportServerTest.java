package dlx.launcher.report;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.engine.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dlx report --serve}: the site over HTTP on 127.0.0.1, rebuilt when a run finishes. */
class ReportServerTest {
    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheReportAndTheRunFilesOnlyAndRebuildsWhenARunFinishes() throws Exception {
        ReportSiteTest.write(root, "demo.mlp", "aaaa11112222", Status.OK, null, Map.of("epochs", 5), Map.of("testAccuracy", 0.8),
                Map.of(), Map.of("trainLoss", ReportSiteTest.points(3, 1.0)), "2026-11-30T10:00:00Z");
        Files.writeString(root.resolve("demo.mlp/aaaa11112222/.lock"), "{}");
        Files.writeString(root.resolve("secret.txt"), "not part of any run");
        List<String> log = new CopyOnWriteArrayList<>();
        ReportSite site = ReportSite.in(root);
        site.build();
        try (ReportServer server = ReportServer.start(site, 0, Duration.ofMillis(200), log::add)) {
            URI index = server.url();
            assertThat(index.getHost()).isEqualTo("127.0.0.1");
            assertThat(index.getPath()).isEqualTo("/report/index.html");
            HttpResponse<String> page = get(index, "/report/index.html");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("assets/index-page.js");
            assertThat(get(index, "/").statusCode()).isEqualTo(302);
            // the pages' relative links into the results folder work
            HttpResponse<String> csv = get(index, "/demo.mlp/aaaa11112222/trainLoss.csv");
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.body()).startsWith("x,y");
            assertThat(get(index, "/demo.mlp/aaaa11112222/.lock").statusCode()).isEqualTo(404);
            assertThat(get(index, "/report/../../etc/passwd").statusCode()).isEqualTo(404);
            assertThat(get(index, "/report/%2e%2e/%2e%2e/etc/passwd").statusCode()).isEqualTo(404);
            assertThat(get(index, "/nothing-here.html").statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(index).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

            String stamp = get(index, "/report/data/stamp.js").body();
            ReportSiteTest.write(root, "demo.mlp", "bbbb33334444", Status.OK, null, Map.of("epochs", 7), Map.of("testAccuracy", 0.9),
                    Map.of(), Map.of(), "2026-12-01T10:00:00Z");
            String data = "";
            for (int i = 0; i < 100 && !data.contains("bbbb33334444"); i++) {
                Thread.sleep(100);
                data = get(index, "/report/data/index.js").body();
            }
            assertThat(data).as("the index after the run finished").contains("bbbb33334444");
            assertThat(get(index, "/report/data/stamp.js").body()).isNotEqualTo(stamp);
            assertThat(get(index, "/report/data/runs/" + ReportSite.chunk("demo.mlp/bbbb33334444") + ".js").body()).contains("bbbb33334444");
        }
        assertThat(log).isEmpty();
    }
}
