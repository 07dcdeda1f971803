package dlx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.launcher.sweep.Dist;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pushgateway} against Debian's real Prometheus Pushgateway on a free loopback port:
 * the pushed series carry the run's labels (job="dlx", instance=<run id>, and only that run's
 * run_id), pushes happen while a run goes and at its end, and a gateway that cannot be reached
 * is a warning while the run writes its result.
 */
class PushgatewayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GATEWAY = Path.of("/usr/bin/prometheus-pushgateway");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    static Path work;
    static Process gateway;
    static String url;

    @BeforeAll
    static void startGateway() throws Exception {
        assumeTrue(Files.isExecutable(GATEWAY), "needs Debian's prometheus-pushgateway (.ci/run installs it)");
        int port = Dist.freePort();
        url = "http://127.0.0.1:" + port;
        gateway = new ProcessBuilder(GATEWAY.toString(), "--web.listen-address=127.0.0.1:" + port, "--persistence.file=")
                .redirectErrorStream(true).redirectOutput(work.resolve("pushgateway.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (scrape().contains("pushgateway_build_info")) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            assertThat(System.nanoTime()).as("the Pushgateway answers within 30 s: " + Files.readString(work.resolve("pushgateway.log")))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Sample lines of the gateway's exposition whose labels include {@code label="value"}. */
    private static List<String> series(String exposition, String label, String value) {
        return exposition.lines().filter(l -> !l.startsWith("#") && l.contains(label + "=\"" + value + "\"")).toList();
    }

    @Test
    void eachRunPushesItsOwnSeriesUnderItsRunId() throws Exception {
        Path out = work.resolve("out-two");
        Dist.Run r = Dist.dlx(Map.of(), 3, "run", "theory.ridge-fgm-epsilon", "--profile", "quick", "--param", "lambda=0.1,0.2",
                "--pushgateway", url, "--push-interval", "1", "--out", out.toString());
        assertThat(r.exit()).as(r.both()).isZero();
        List<JsonNode> results = new ArrayList<>();
        try (Stream<Path> runs = Files.list(out.resolve("theory.ridge-fgm-epsilon"))) {
            for (Path d : runs.filter(d -> !Files.isSymbolicLink(d)).toList()) {
                results.add(JSON.readTree(d.resolve("result.json").toFile()));
            }
        }
        assertThat(results).hasSize(2);
        String exposition = scrape();
        for (JsonNode result : results) {
            String id = result.get("runId").asText();
            List<String> mine = series(exposition, "instance", id);
            assertThat(mine).as("series pushed for run " + id).isNotEmpty().allMatch(l -> l.contains("job=\"dlx\""));
            // the run's own meters carry its run_id; none of another run's is in its group
            assertThat(mine).filteredOn(l -> l.contains("run_id=")).isNotEmpty().allMatch(l -> l.contains("run_id=\"" + id + "\""));
            // a pushed value is the result's (numeric answers are gauges too)
            String epsilon = mine.stream().filter(l -> l.startsWith("dlx_example_epsilon{")).findFirst().orElseThrow();
            assertThat(Double.parseDouble(epsilon.substring(epsilon.lastIndexOf(' ') + 1)))
                    .isEqualTo(result.get("answers").get("exampleEpsilon").asDouble());
            // the process's meters come along (memory of a batch task)
            assertThat(mine).anyMatch(l -> l.startsWith("jvm_memory_used_bytes{"));
            assertThat(series(exposition, "instance", id)).anyMatch(l -> l.startsWith("push_time_seconds{"));
        }
    }

    @Test
    void aRunPushesWhileItGoesAndWhenItEnds() throws Exception {
        Path out = work.resolve("out-live");
        String[] run = {"nmt.decoder-only", "--profile", "quick", "--param", "epochs=4", "--param", "patience=0"};
        Dist.Run plan = Dist.dlx(Map.of(), 2, concat(new String[] {"sweep", "plan"}, run, "--out", out.toString()));
        assertThat(plan.exit()).as(plan.both()).isZero();
        Matcher m = Pattern.compile("(?m)^0\\s+(\\w{12})\\s").matcher(plan.out());
        assertThat(m.find()).as(plan.out()).isTrue();
        String id = m.group(1);

        List<String> cmd = new ArrayList<>(List.of(Dist.home().resolve("bin/dlx").toString(), "run"));
        cmd.addAll(List.of(run));
        cmd.addAll(List.of("--pushgateway", url, "--push-interval", "1", "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DLX_JAVA_OPTS", "-Xmx1g");
        CompletableFuture<Dist.Run> done = CompletableFuture.supplyAsync(() -> {
            try {
                return Dist.run(pb, 5);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // while the run goes: its dlx_run_active gauge is 1 at the gateway
        boolean seenActive = false;
        while (!done.isDone() && !seenActive) {
            seenActive = series(scrape(), "instance", id).stream().anyMatch(l -> l.startsWith("dlx_run_active{") && l.endsWith(" 1"));
            Thread.sleep(200);
        }
        Dist.Run r = done.get();
        assertThat(r.exit()).as(r.both()).isZero();
        assertThat(seenActive).as("a push while the run went").isTrue();
        // at the end: the final push, after the run recorded its result (the active gauge is gone, the loss is there)
        List<String> last = series(scrape(), "instance", id);
        assertThat(last).noneMatch(l -> l.startsWith("dlx_run_active{"));
        JsonNode result = JSON.readTree(out.resolve("nmt.decoder-only").resolve(id).resolve("result.json").toFile());
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(last).anyMatch(l -> l.startsWith("dlx_duration_seconds{") && l.contains("run_id=\"" + id + "\""));
    }

    @Test
    void anUnreachableGatewayIsAWarningAndTheRunGoesOn() throws Exception {
        Path out = work.resolve("out-unreachable");
        Dist.Run r = Dist.dlx(Map.of(), 3, "run", "theory.ridge-fgm-epsilon", "--profile", "quick",
                "--pushgateway", "http://127.0.0.1:" + Dist.freePort(), "--out", out.toString());
        assertThat(r.exit()).as(r.both()).isZero();
        assertThat(r.err()).contains("dlx: warning: cannot push metrics of run ").contains("; the run goes on");
        assertThat(r.err().lines().filter(l -> l.contains("cannot push metrics")).count()).as("one warning per run").isEqualTo(1);
        assertThat(JSON.readTree(out.resolve("theory.ridge-fgm-epsilon/latest/result.json").toFile()).get("status").asText())
                .isEqualTo("ok");

        Dist.Run bad = Dist.dlx(Map.of(), 2, "run", "theory.ridge-fgm-epsilon", "--pushgateway", "ftp://127.0.0.1:9091",
                "--out", out.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--pushgateway 'ftp://127.0.0.1:9091': expected http://host:port");
    }

    private static String[] concat(String[] a, String[] b, String... c) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        all.addAll(List.of(c));
        return all.toArray(String[]::new);
    }
}
