package dlx.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.launcher.sweep.Dist;
import dlx.launcher.sweep.Dist.Run;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the assembled distribution ({@code launcher/cli/target/dlx}) as a user would: real
 * {@code bin/dlx}, real module layers, plugin jars built from source by the test and dropped into
 * a plugins folder, and the metrics endpoint scraped over HTTP while the run goes.
 */
class DistributionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static Path dist;
    @TempDir
    static Path work;
    static Path goodJar;
    static Path dupJar;
    static Path ctorFailJar;
    static Path plainJar;
    static Path minimalJar;
    static Path hangJar;

    @BeforeAll
    static void buildPlugins() throws IOException {
        dist = Path.of(System.getProperty("dlx.dist", "target/dlx"));
        assertThat(dist.resolve("bin/dlx")).isExecutable();
        Path lib = dist.resolve("lib");
        goodJar = PluginJars.build(lib, work, "it-good", Map.of(
                "module-info.java", """
                        module it.good {
                            requires dlx.api;
                            requires com.google.guice;
                            requires micrometer.core;
                            provides dlx.api.Plugin with it.good.GoodPlugin;
                            provides com.google.inject.Module with it.good.GoodModule;
                        }""",
                "it/good/GoodPlugin.java", """
                        package it.good;
                        import dlx.api.*;
                        import java.util.List;
                        public final class GoodPlugin implements Plugin {
                            public String name() { return "itgood"; }
                            public List<Class<? extends Experiment>> experiments() {
                                return List.of(Meters.class, Fails.class, Injected.class);
                            }
                        }""",
                "it/good/GoodModule.java", """
                        package it.good;
                        public final class GoodModule extends com.google.inject.AbstractModule {
                            protected void configure() { bind(String.class).toInstance("bound by the plugin"); }
                        }""",
                "it/good/Meters.java", """
                        package it.good;
                        import dlx.api.*;
                        public final class Meters implements Experiment {
                            public ExperimentSpec spec() {
                                return ExperimentSpec.builder("it.meters").title("publishes meters")
                                    .param(ParamSpec.decimal("value", 1.5).range(0, 100).help("a number"))
                                    .param(ParamSpec.integer("sleepMs", 0).min(0).help("time to stay running"))
                                    .param(ParamSpec.string("holdUntil", "").help("stay running until this file exists (at most 2 minutes)"))
                                    .build();
                            }
                            public void run(RunRequest request, RunReporter reporter) throws Exception {
                                double v = request.params().decimal("value");
                                reporter.metric("itValue", v);
                                reporter.metric("itAccuracy", Labels.of("model", "mlp", "testSet", "rot90"), v / 2);
                                for (int i = 0; i < 3; i++) reporter.series("itLoss").add(i, 3 - i);
                                for (int i = 0; i < 3; i++) reporter.series("itLoss", Labels.of("model", "cnn")).add(i, 10 - i);
                                reporter.plot(PlotSpec.lines("loss.png", "loss", "step", "loss", "itLoss"));
                                reporter.answer("echo", v * 2);
                                long end = System.currentTimeMillis() + request.params().integer("sleepMs");
                                try (Progress p = reporter.progress("waiting", 10)) {
                                    while (System.currentTimeMillis() < end) { request.checkCancelled(); Thread.sleep(20); }
                                    String hold = request.params().string("holdUntil");
                                    for (long until = System.currentTimeMillis() + 120_000; !hold.isEmpty()
                                            && !java.nio.file.Files.exists(java.nio.file.Path.of(hold)) && System.currentTimeMillis() < until; ) {
                                        request.checkCancelled();
                                        Thread.sleep(20);
                                    }
                                    p.advance(10);
                                }
                            }
                        }""",
                "it/good/Fails.java", """
                        package it.good;
                        import dlx.api.*;
                        public final class Fails implements Experiment {
                            public ExperimentSpec spec() { return ExperimentSpec.builder("it.fails").title("throws").build(); }
                            public void run(RunRequest request, RunReporter reporter) {
                                reporter.metric("before", 1);
                                throw new IllegalStateException("boom from the plugin");
                            }
                        }""",
                "it/good/Injected.java", """
                        package it.good;
                        import dlx.api.*;
                        import io.micrometer.core.instrument.MeterRegistry;
                        import jakarta.inject.Inject;
                        public final class Injected implements Experiment {
                            private final DataLocations data; private final Configuration config; private final String greeting;
                            private final MeterRegistry registry;
                            @Inject public Injected(DataLocations data, Configuration config, String greeting, MeterRegistry registry) {
                                this.data = data; this.config = config; this.greeting = greeting; this.registry = registry;
                            }
                            public ExperimentSpec spec() { return ExperimentSpec.builder("it.inject").title("injected services").build(); }
                            public void run(RunRequest request, RunReporter reporter) {
                                reporter.answer("cache", data.cacheDir().toString());
                                reporter.answer("device", request.device().id());
                                reporter.answer("greeting", greeting);
                                reporter.answer("setting", config.get("it.setting").orElse("unset"));
                                registry.counter("it.own.counter").increment();
                                reporter.answer("ownCounter", registry.get("it.own.counter").counter().count());
                            }
                        }"""));
        // A plugin compiled against platform-api alone: no Guice, no kit, no Micrometer.
        Path apiOnly = work.resolve("api-only-lib");
        Files.createDirectories(apiOnly);
        try (var jars = Files.list(lib)) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().matches("(platform-api|jakarta\\.inject-api)-.*\\.jar")).toList()) {
                Files.copy(jar, apiOnly.resolve(jar.getFileName()));
            }
        }
        minimalJar = PluginJars.build(apiOnly, work, "it-minimal", Map.of(
                "module-info.java", "module it.minimal { requires dlx.api; provides dlx.api.Plugin with it.minimal.MinimalPlugin; }",
                "it/minimal/MinimalPlugin.java", """
                        package it.minimal;
                        import dlx.api.*;
                        import java.util.List;
                        public final class MinimalPlugin implements Plugin {
                            public String name() { return "minimal"; }
                            public List<Class<? extends Experiment>> experiments() { return List.of(Hello.class); }
                            static final class Hello implements Experiment {
                                public ExperimentSpec spec() { return ExperimentSpec.builder("it.minimal").title("api only").build(); }
                                public void run(RunRequest request, RunReporter reporter) {
                                    reporter.answer("hello", Labels.of("who", "world"), true);
                                    reporter.table(TableSpec.builder("t.csv", "a", "b").row(1, "x,y").build());
                                }
                            }
                        }"""));
        dupJar = PluginJars.build(lib, work, "it-dup", Map.of(
                "module-info.java", "module it.dup { requires dlx.api; provides dlx.api.Plugin with it.dup.DupPlugin; }",
                "it/dup/DupPlugin.java", """
                        package it.dup;
                        import dlx.api.*;
                        import java.util.List;
                        public final class DupPlugin implements Plugin {
                            public String name() { return "itdup"; }
                            public List<Class<? extends Experiment>> experiments() { return List.of(Same.class); }
                            public static final class Same implements Experiment {
                                public ExperimentSpec spec() { return ExperimentSpec.builder("it.meters").title("same id").build(); }
                                public void run(RunRequest request, RunReporter reporter) { }
                            }
                        }"""));
        ctorFailJar = PluginJars.build(lib, work, "it-ctorfail", Map.of(
                "module-info.java", "module it.ctorfail { requires dlx.api; provides dlx.api.Plugin with it.ctorfail.Broken; }",
                "it/ctorfail/Broken.java", """
                        package it.ctorfail;
                        import dlx.api.*;
                        import java.util.List;
                        public final class Broken implements Plugin {
                            public Broken() { throw new IllegalStateException("constructor refuses"); }
                            public String name() { return "broken"; }
                            public List<Class<? extends Experiment>> experiments() { return List.of(); }
                        }"""));
        hangJar = PluginJars.build(lib, work, "it-hang", Map.of(
                "module-info.java", "module it.hang { requires dlx.api; provides dlx.api.Plugin with it.hang.Hangs; }",
                "it/hang/Hangs.java", """
                        package it.hang;
                        import dlx.api.*;
                        import java.util.List;
                        public final class Hangs implements Plugin {
                            public Hangs() { while (true) { try { Thread.sleep(1000); } catch (InterruptedException e) { } } }
                            public String name() { return "hangs"; }
                            public List<Class<? extends Experiment>> experiments() { return List.of(); }
                        }"""));
        Path plainClasses = work.resolve("plain-classes/plain");
        Files.createDirectories(plainClasses);
        Files.writeString(plainClasses.resolve("readme.txt"), "not a plugin");
        plainJar = PluginJars.jar(work.resolve("plain-classes"), work.resolve("plain.jar"));
    }

    private static Path pluginsWith(String name, Path... jars) throws IOException {
        Path dir = work.resolve("plugins-" + name);
        Files.createDirectories(dir);
        for (Path jar : jars) {
            Files.copy(jar, dir.resolve(jar.getFileName()));
        }
        return dir;
    }

    @Test
    void benchPrintsTheMachineAboveAndUnderItsFigures() throws Exception {
        Path dir = pluginsWith("bench");
        Run r = dlx("bench", "platform.bench-run-index", "--profile", "quick", "--param", "runs=20", "--plugins", dir.toString(),
                "--out", work.resolve("out-bench").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // The same /proc/cpuinfo read by this JVM; the script adds the Vector API, this JVM's flags are HotSpot's defaults too.
        java.util.Map<String, String> here = dlx.engine.store.Machine.current(System.getenv()).describe();
        List<String> lines = List.of("machine cpu: " + here.get("cpu"), "machine cpuVectorExtensions: " + here.get("cpuVectorExtensions"),
                "machine jvmVector: ", "machine threads: available processors " + Runtime.getRuntime().availableProcessors());
        int table = r.out().indexOf("platform.bench-run-index");
        for (String line : lines) {
            assertThat(r.out().indexOf(line)).as(line + " in\n" + r.out()).isBetween(0, table);
            assertThat(r.out().lastIndexOf(line)).as(line).isGreaterThan(table);
        }
        assertThat(r.out()).contains("Vector API preferred species");
        if (here.get("jvmVector").contains("UseAVX=")) {
            String avx = here.get("jvmVector").replaceAll(".*(UseAVX=\\d+).*", "$1");
            assertThat(r.out()).contains(avx);
        }
        // a benchmark measures every time: the same configuration runs again, the first figures kept as an attempt
        Run again = dlx("bench", "platform.bench-run-index", "--profile", "quick", "--param", "runs=20", "--plugins", dir.toString(),
                "--out", work.resolve("out-bench").toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("platform.bench-run-index\\s+[0-9a-f]{12}\\s+ok").doesNotContain("cached");
        try (var attempts = Files.list(work.resolve("out-bench/platform.bench-run-index/latest/attempts"))) {
            assertThat(attempts.toList()).hasSize(1);
        }
    }

    @Test
    void brokenJarsAreReportedAndTheOthersStillLoad() throws Exception {
        Path dir = pluginsWith("mixed", goodJar, ctorFailJar, plainJar);
        PluginJars.writeBytes(dir.resolve("corrupt.jar"), "this is not a zip file".getBytes(StandardCharsets.UTF_8));
        Run r = dlx("list", "--plugins", dir.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("it.meters", "it.fails", "it.inject", "itgood");
        assertThat(r.err()).contains("corrupt.jar:").contains("plain.jar:").contains("provides no dlx.api.Plugin")
                .contains("it-ctorfail.jar:").contains("constructor refuses");
    }

    @Test
    void aPluginWhoseConstructorHangsIsReportedByNameAndTheOthersLoad() throws Exception {
        Path dir = pluginsWith("hang", goodJar, hangJar);
        Run r = dlx(Map.of("DLX_JAVA_OPTS", "-Xmx1g -Ddlx.plugin.timeout=2"), "list", "--plugins", dir.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("it.meters");
        assertThat(r.err()).contains("it-hang.jar:").contains("did not answer within 2.0 s");
    }

    @Test
    void runWritesTheResultAndTheEndpointServesItsMeters() throws Exception {
        Path dir = pluginsWith("meters", goodJar);
        Path out = work.resolve("out-meters");
        Process p = start("run", "it.meters", "--plugins", dir.toString(), "--out", out.toString(),
                "--param", "value=42", "--param", "sleepMs=2500", "--metrics-port", "0", "--linger", "30");
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String url = null;
            for (String line; url == null && (line = err.readLine()) != null; ) {
                Matcher m = Pattern.compile("metrics at (http://\\S+)").matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertThat(url).as("the launcher prints the endpoint URL").isNotNull();
            BufferedReader errRest = err;
            CompletableFuture.runAsync(() -> errRest.lines().forEach(l -> { }));

            // While the run goes: the run is active and its meters, labelled with its run id, are already there.
            // (The run becomes active before the platform seeds the engines, so wait for the run's first meter.)
            String during = scrapeUntil(url, Pattern.compile("dlx_it_value\\{experiment=\"it.meters\",run_id=\"([0-9a-f]{12})\"} 42.0"));
            Matcher active = Pattern.compile("dlx_it_value\\{experiment=\"it.meters\",run_id=\"([0-9a-f]{12})\"}").matcher(during);
            assertThat(active.find()).isTrue();
            String run = "run_id=\"" + active.group(1) + "\"";
            assertThat(during).contains("dlx_run_active{experiment=\"it.meters\"," + run + "} 1");

            // After the run, during --linger: final values, run counter, duration, JVM meters.
            String after = scrapeUntil(url, Pattern.compile(Pattern.quote("dlx_runs_total{experiment=\"it.meters\",status=\"ok\"} 1.0")));
            assertThat(after).contains("dlx_it_value{experiment=\"it.meters\"," + run + "} 42.0")
                    .contains("dlx_it_accuracy{experiment=\"it.meters\",model=\"mlp\"," + run + ",test_set=\"rot90\"} 21.0")
                    .contains("dlx_it_loss{experiment=\"it.meters\",model=\"cnn\"," + run + "} 8.0")
                    .contains("dlx_echo{experiment=\"it.meters\"," + run + "} 84.0")
                    .contains("dlx_it_loss{experiment=\"it.meters\"," + run + "} 1.0")
                    .contains("dlx_progress_ratio{experiment=\"it.meters\"," + run + ",task=\"waiting\"} 1.0")
                    .contains("dlx_run_duration_seconds_count{experiment=\"it.meters\"} 1")
                    .contains("jvm_memory_used_bytes");
            promtoolAccepts(after);
            stdout.cancel(true);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        JsonNode result = JSON.readTree(out.resolve("it.meters/latest/result.json").toFile());
        assertThat(result.get("experiment").asText()).isEqualTo("it.meters");
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("params").get("value").asDouble()).isEqualTo(42.0);
        assertThat(result.get("params").get("profile").asText()).isEqualTo("full");
        assertThat(result.get("metrics").get("itValue").asDouble()).isEqualTo(42.0);
        assertThat(result.get("metrics").get("durationSeconds").asDouble()).isGreaterThan(2.0);
        assertThat(result.get("answers").get("echo").asDouble()).isEqualTo(84.0);
        assertThat(result.get("series").get("itLoss").get(2).get(1).asDouble()).isEqualTo(1.0);
        List<String> artifacts = new ArrayList<>();
        result.get("artifacts").forEach(a -> artifacts.add(a.asText()));
        assertThat(artifacts).contains("loss.png", "itLoss.csv");
        assertThat(out.resolve("it.meters/latest/loss.png")).isNotEmptyFile();
        assertThat(result.get("metrics").get("itAccuracy{model=mlp,testSet=rot90}").asDouble()).isEqualTo(21.0);
        assertThat(result.get("series").get("itLoss{model=cnn}").get(2).get(1).asDouble()).isEqualTo(8.0);
        assertThat(Files.readString(out.resolve("it.meters/latest/itLoss.csv"))).startsWith("model,x,y\n,0.0,3.0\n")
                .contains("cnn,2.0,8.0");
    }

    @Test
    void aConfigurationRunsOnceIsCachedThenRerunAndTwoProcessesNeverRunOneIdTogether() throws Exception {
        Path dir = pluginsWith("records", goodJar);
        Path out = work.resolve("out-records");
        Path release = work.resolve("records-release");
        String[] args = {"run", "it.meters", "--param", "value=7", "--param", "holdUntil=" + release, "--plugins", dir.toString(),
                "--out", out.toString()};
        // two processes start the same run id at once: one runs it, the other leaves it alone.
        // The first holds the run until the test releases it, however slowly the second JVM starts.
        Process first = start(args);
        CompletableFuture.runAsync(() -> readAll(first.getInputStream()));
        CompletableFuture.runAsync(() -> readAll(first.getErrorStream()));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!lockTaken(out.resolve("it.meters")) && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lockTaken(out.resolve("it.meters"))).as("the first process holds the run").isTrue();
        // the run is held by the first command's worker JVM (issue 17): its pid or the launcher's
        String holders = java.util.stream.Stream.concat(java.util.stream.Stream.of(first.toHandle()), first.toHandle().descendants())
                .map(h -> Long.toString(h.pid())).collect(java.util.stream.Collectors.joining("|"));
        Run second = dlx(args);
        Files.createFile(release);
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(first.exitValue()).isZero();
        assertThat(second.exit()).isZero();
        assertThat(second.out()).containsPattern("running elsewhere \\(host \\S+, pid (" + holders + "), since ")
                .containsPattern("it.meters\\s+[0-9a-f]{12}\\s+locked");

        JsonNode result = JSON.readTree(out.resolve("it.meters/latest/result.json").toFile());
        String runId = result.get("runId").asText();
        assertThat(result.get("environment").get("java").get("version").asText()).isNotBlank();
        assertThat(result.get("environment").get("plugin").get("jar").asText()).isEqualTo("it-good.jar");

        Run cached = dlx(args);
        assertThat(cached.exit()).isZero();
        assertThat(cached.out()).contains("already finished ok").containsPattern("it.meters\\s+" + runId + "\\s+cached");

        Run other = dlx("run", "it.meters", "--param", "value=8", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(other.exit()).isZero();
        String otherId = JSON.readTree(out.resolve("it.meters/latest/result.json").toFile()).get("runId").asText();
        assertThat(otherId).isNotEqualTo(runId);
        assertThat(out.resolve("it.meters").resolve(runId).resolve("result.json")).exists();

        List<String> rerunArgs = new ArrayList<>(List.of(args));
        rerunArgs.add("--rerun");
        Run rerun = dlx(rerunArgs.toArray(String[]::new));
        assertThat(rerun.exit()).isZero();
        assertThat(rerun.out()).containsPattern("it.meters\\s+" + runId + "\\s+ok");
        try (var attempts = Files.list(out.resolve("it.meters").resolve(runId).resolve("attempts"))) {
            assertThat(attempts.toList()).hasSize(1);
        }

        Run runs = dlx("runs", "--results", out.toString(), "--columns", "metrics.itValue");
        assertThat(runs.exit()).isZero();
        assertThat(runs.out()).contains(runId).contains(otherId).contains("params.value");
        Run show = dlx("show", runId.substring(0, 6), "--results", out.toString());
        assertThat(show.out()).contains("run " + runId).contains("itValue");
    }

    @Test
    void aTrainingRunKilledWithSigkillResumesFromItsCheckpointWhenTheSameCommandRunsAgain() throws Exception {
        Path out = work.resolve("out-kill");
        String[] args = {"run", "nmt.decoder-only", "--profile", "quick", "--param", "epochs=6", "--param", "stepsPerEpoch=60",
                "--param", "patience=0", "--param", "testWords=5", "--param", "translate=team", "--out", out.toString()};
        Process p = start(args);
        CompletableFuture.runAsync(() -> readAll(p.getInputStream()));
        CompletableFuture.runAsync(() -> readAll(p.getErrorStream()));
        Path checkpoint = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (checkpoint == null && System.nanoTime() < deadline && p.isAlive()) {
            try (var found = Files.walk(out)) {
                checkpoint = found.filter(f -> f.getFileName().toString().equals("checkpoint.bin")).findFirst().orElse(null);
            } catch (java.io.UncheckedIOException | IOException e) {
                // the folder is still being made
            }
            Thread.sleep(100);
        }
        assertThat(checkpoint).as("a checkpoint of the untrained model").isNotNull();
        // The first checkpoint holds the evaluation before training; wait for the one after epoch 1.
        java.nio.file.attribute.FileTime first = Files.getLastModifiedTime(checkpoint);
        while (System.nanoTime() < deadline && p.isAlive() && Files.getLastModifiedTime(checkpoint).equals(first)) {
            Thread.sleep(50);
        }
        assertThat(p.isAlive()).as("still training after its first epoch").isTrue();
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no result
        p.waitFor(30, TimeUnit.SECONDS);
        Path runDir = checkpoint.getParent().getParent().getParent();
        assertThat(runDir.resolve("result.json")).doesNotExist();
        // The run's worker JVM notices its supervisor's death and halts; until it has, the run is rightly "running elsewhere".
        Path lock = runDir.resolve(".lock");
        if (Files.exists(lock)) {
            long worker = JSON.readTree(lock.toFile()).path("pid").asLong();
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < until; ) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false)).as("the orphaned worker halts").isFalse();
        }

        Run again = dlx(args);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(runDir.resolve("result.json")).as(again.out() + again.err()).exists();
        JsonNode result = JSON.readTree(runDir.resolve("result.json").toFile());
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("runId").asText()).isEqualTo(runDir.getFileName().toString());
        assertThat(result.get("metrics").get("resumedFromEpoch").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(result.get("metrics").get("steps").asDouble()).isEqualTo(360.0);
        assertThat(result.get("metrics").get("tokensPerSecond").asDouble()).isPositive();
        assertThat(again.out()).contains("resumed after epoch");
    }

    @Test
    void sigtermCancelsTheCurrentRunWhichSaysSoAndTheSummaryIsPrinted() throws Exception {
        Path dir = pluginsWith("sigterm", goodJar);
        Path out = work.resolve("out-sigterm");
        Process p = start("run", "it.meters", "it.fails", "--param", "sleepMs=60000", "--plugins", dir.toString(),
                "--out", out.toString());
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = stdout.readLine()) != null && !line.contains("] run "); ) {
            // wait until the run started
        }
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> stdout.lines().reduce("", (a, b) -> a + b + "\n"));
        CompletableFuture.runAsync(() -> readAll(p.getErrorStream()));
        p.toHandle().destroy(); // SIGTERM, leaving our ends of its pipes open to read the summary
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("128 + SIGTERM").isEqualTo(143);
        JsonNode result = JSON.readTree(out.resolve("it.meters/latest/result.json").toFile());
        assertThat(result.get("status").asText()).isEqualTo("cancelled");
        String summary = rest.get(10, TimeUnit.SECONDS);
        assertThat(summary).containsPattern("it.meters\\s+[0-9a-f]{12}\\s+cancelled").doesNotContain("it.fails ");
    }

    @Test
    void aFailingRunIsRecordedAndTheNextStillRuns() throws Exception {
        Path dir = pluginsWith("fails", goodJar);
        Path out = work.resolve("out-fails");
        Run r = dlx("run", "it.fails", "it.meters", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(1);
        JsonNode failed = JSON.readTree(out.resolve("it.fails/latest/result.json").toFile());
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("IllegalStateException").contains("boom from the plugin");
        assertThat(failed.get("metrics").get("before").asDouble()).isEqualTo(1.0);
        assertThat(out.resolve("it.fails/latest/error.log")).content().contains("it.good.Fails.run(Fails.java");
        assertThat(JSON.readTree(out.resolve("it.meters/latest/result.json").toFile()).get("status").asText()).isEqualTo("ok");
        assertThat(r.out()).doesNotContain("\tat "); // no stack trace on the terminal
    }

    @Test
    void badUsageExitsWithTwoAndRunsNothing() throws Exception {
        Path dir = pluginsWith("usage", goodJar);
        Path out = work.resolve("out-usage");
        Run unknown = dlx("run", "it.meterz", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown experiment 'it.meterz'").contains("did you mean it.meters");

        Run range = dlx("run", "it.meters", "--param", "value=500", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(range.exit()).isEqualTo(2);
        assertThat(range.err()).contains("'value'").contains("500").contains("[0, 100]");

        Run type = dlx("run", "it.meters", "--param", "sleepMs=soon", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(type.exit()).isEqualTo(2);
        assertThat(type.err()).contains("'sleepMs'").contains("an integer");

        Run unknownParam = dlx("run", "it.*", "--param", "nope=1", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(unknownParam.exit()).isEqualTo(2);
        assertThat(unknownParam.err()).contains("'nope'");

        Run profile = dlx("run", "it.meters", "--profile", "huge", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(profile.exit()).isEqualTo(2);

        Run glob = dlx("run", "it[*", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(glob.exit()).isEqualTo(2);
        assertThat(glob.err()).contains("no experiment matches 'it[*'").doesNotContain("Exception");

        Run lingerAlone = dlx("run", "it.meters", "--linger", "5", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(lingerAlone.exit()).isEqualTo(2);
        assertThat(lingerAlone.err()).contains("--linger").contains("--metrics-port");

        Run badPort = dlx("run", "it.meters", "--metrics-port", "70000", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(badPort.exit()).isEqualTo(2);
        assertThat(badPort.err()).contains("70000").contains("[0, 65535]");

        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run inUse = dlx("run", "it.meters", "--metrics-port", String.valueOf(taken.getLocalPort()),
                    "--plugins", dir.toString(), "--out", out.toString());
            assertThat(inUse.exit()).isEqualTo(2);
            assertThat(inUse.err()).contains("--metrics-port " + taken.getLocalPort()).doesNotContain("\tat ");
        }
        assertThat(out).doesNotExist();

        Path aFile = Files.writeString(work.resolve("a-file"), "x");
        Run outIsFile = dlx("run", "it.meters", "--plugins", dir.toString(), "--out", aFile.toString());
        assertThat(outIsFile.exit()).isEqualTo(2);
        assertThat(outIsFile.err()).contains(aFile.toString()).contains("is a file");
    }

    @Test
    void twoPluginsOfferingOneIdAreNamedAndThatIdIsNotRunnable() throws Exception {
        Path dir = pluginsWith("dup", goodJar, dupJar);
        Run list = dlx("list", "--plugins", dir.toString());
        assertThat(list.err()).contains("'it.meters'").contains("it-good.jar").contains("it-dup.jar");
        assertThat(list.out()).contains("it.fails");
        Run run = dlx("run", "it.meters", "--plugins", dir.toString(), "--out", work.resolve("out-dup").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("it-good.jar").contains("it-dup.jar");
    }

    @Test
    void guiceInjectsPlatformServicesAndThePluginsOwnModule() throws Exception {
        Path dir = pluginsWith("inject", goodJar);
        Path out = work.resolve("out-inject");
        Run r = dlx(Map.of("DLX_IT_SETTING", "from the environment"), "run", "it.inject", "--device", "cpu",
                "--plugins", dir.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode answers = JSON.readTree(out.resolve("it.inject/latest/result.json").toFile()).get("answers");
        assertThat(answers.get("greeting").asText()).isEqualTo("bound by the plugin");
        assertThat(answers.get("device").asText()).isEqualTo("cpu");
        assertThat(answers.get("cache").asText()).isEqualTo(work.resolve("cache").toString());
        assertThat(answers.get("setting").asText()).isEqualTo("from the environment");
        assertThat(answers.get("ownCounter").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aPluginBuiltAgainstThePlatformApiAloneRuns() throws Exception {
        Path dir = pluginsWith("minimal", minimalJar);
        Path out = work.resolve("out-minimal");
        Run r = dlx("run", "it.minimal", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = JSON.readTree(out.resolve("it.minimal/latest/result.json").toFile());
        assertThat(result.get("answers").get("hello").get("world").asBoolean()).isTrue();
        assertThat(out.resolve("it.minimal/latest/t.csv")).hasContent("a,b\n1,\"x,y\"");
    }

    @Test
    void theModuleWallsHoldInTheDistribution() throws Exception {
        Path lib = dist.resolve("lib");
        java.lang.module.ModuleFinder finder = java.lang.module.ModuleFinder.of(lib);
        assertThat(requires(finder, "dlx.api")).containsExactlyInAnyOrder("java.base", "jakarta.inject");
        assertThat(requires(finder, "dlx.launcher")).doesNotContain("ai.djl.api", "com.microsoft.onnxruntime", "dlx.kit");
        assertThat(requires(finder, "dlx.engine")).doesNotContain("ai.djl.api", "com.microsoft.onnxruntime", "dlx.kit");
        // the plugins' runtimes are still in lib/, loaded once for all plugins
        assertThat(finder.find("ai.djl.api")).isPresent();
        assertThat(finder.find("com.microsoft.onnxruntime")).isPresent();
        assertThat(finder.find("dlx.kit")).isPresent();
    }

    private static List<String> requires(java.lang.module.ModuleFinder finder, String module) {
        return finder.find(module).orElseThrow().descriptor().requires().stream()
                .map(java.lang.module.ModuleDescriptor.Requires::name).toList();
    }

    @Test
    void configPrintsEveryKeyWithItsSource() throws Exception {
        Run r = dlx(Map.of("DLX_DEVICE", "cpu"), "config");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("device\\s+cpu\\s+environment DLX_DEVICE")
                .containsPattern("cache\\s+" + Pattern.quote(work.resolve("cache").toString()) + "\\s+environment DLX_CACHE")
                .containsPattern("home\\s+\\S+\\s+property dlx.home")
                .contains("clip.model").contains("java.opts").containsPattern("worker\\s+true\\s+default");
        Run bad = dlx(Map.of("DLX_DEVICE", "tpu"), "run", "theory.normalization", "--profile", "quick",
                "--out", work.resolve("out-bad-device").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'tpu'").contains("environment DLX_DEVICE");
        Run badWorker = dlx(Map.of("DLX_WORKER", "maybe"), "run", "theory.normalization", "--profile", "quick",
                "--out", work.resolve("out-bad-worker").toString());
        assertThat(badWorker.exit()).as(badWorker.err()).isEqualTo(2);
        assertThat(badWorker.err()).contains("worker 'maybe' (from environment DLX_WORKER) must be true or false");
        assertThat(work.resolve("out-bad-worker")).doesNotExist();
        Run badThreads = dlx(Map.of("DLX_ORT_THREADS", "two"), "bench", "bert.bench-encode", "--profile", "quick",
                "--out", work.resolve("out-bad-threads").toString());
        assertThat(badThreads.exit()).as(badThreads.err()).isEqualTo(2);
        assertThat(badThreads.err()).contains("ort.threads 'two' (from environment DLX_ORT_THREADS) must be a thread count >= 0");
        assertThat(work.resolve("out-bad-threads")).doesNotExist();
    }

    /** The kit's ONNX Runtime settings and the scratch MLP's kernels are configuration keys that reach the plugins. */
    @Test
    void theKitAndPluginSettingsAreConfigurationKeys() throws Exception {
        Run config = dlx(Map.of("DLX_ORT_THREADS", "1"), "config");
        assertThat(config.out()).containsPattern("ort.threads\\s+1\\s+environment DLX_ORT_THREADS")
                .containsPattern("ort.spinning\\s+false\\s+default").containsPattern("vision.vector-api\\s+true\\s+default");
        Path out = work.resolve("out-settings");
        Run bert = dlx(Map.of("DLX_ORT_THREADS", "1", "DLX_ORT_SPINNING", "true"), "bench", "bert.bench-encode",
                "--profile", "quick", "--param", "repeats=1", "--out", out.toString());
        assertThat(bert.exit()).as(bert.err()).isZero();
        assertThat(bert.out()).contains("machine threads: ").contains("ONNX Runtime intra-op 1, spinning on");
        JsonNode encode = JSON.readTree(out.resolve("bert.bench-encode/latest/result.json").toFile());
        assertThat(encode.at("/answers/sessionOptions").asText()).contains("intra-op threads 1", "allow_spinning=1");
        assertThat(encode.at("/environment/threads/summary").asText()).contains("ONNX Runtime intra-op 1, spinning on");
        Run vision = dlx(Map.of("DLX_VISION_VECTOR_API", "false"), "bench", "vision.bench-mlp", "--profile", "quick",
                "--out", out.toString());
        assertThat(vision.exit()).as(vision.err()).isZero();
        JsonNode mlp = JSON.readTree(out.resolve("vision.bench-mlp/latest/result.json").toFile());
        assertThat(mlp.at("/answers/kernels").asText()).isEqualTo("plain Java loops (vision.vector-api=false)");
    }

    @Test
    void theShippedTheoryPluginRunsFromTheDefaultPluginsFolder() throws Exception {
        Path out = work.resolve("out-theory");
        Run r = dlx("run", "theory.normalization", "--profile", "quick", "--out", out.toString());
        assertThat(r.exit()).isZero();
        JsonNode result = JSON.readTree(out.resolve("theory.normalization/latest/result.json").toFile());
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.get("plugin").asText()).isEqualTo("theory");
        assertThat(result.get("answers").get("muBatch").size()).isEqualTo(2);
        Run describe = dlx("describe", "theory.normalization");
        assertThat(describe.exit()).isZero();
        assertThat(describe.out()).contains("profile").contains("seed").contains("quick, full");
        assertThat(dlx("--help").exit()).isZero();
        assertThat(dlx("run", "--help").out()).contains("--metrics-port").contains("--linger").contains("--param");
    }

    // --- helpers ---

    /** {@code bin/dlx} with this class's cache folder. */
    private static Process start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    private static Process start(Map<String, String> env, String... args) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("DLX_CACHE", work.resolve("cache").toString());
        return Dist.start(all, args);
    }

    private static Run dlx(String... args) throws Exception {
        return dlx(Map.of(), args);
    }

    private static Run dlx(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("DLX_CACHE", work.resolve("cache").toString());
        return Dist.dlx(all, 5, args);
    }

    /** True once some run under {@code experimentDir} has a lock file naming its holder. */
    private static boolean lockTaken(Path experimentDir) {
        try (var found = Files.walk(experimentDir, 2)) {
            return found.filter(f -> f.getFileName().toString().equals(".lock")).anyMatch(f -> {
                try {
                    return JSON.readTree(f.toFile()).path("pid").asLong(-1) > 0;
                } catch (IOException e) {
                    return false; // still being written, or just released
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // the folder is still being made
        }
    }

    private static String readAll(java.io.InputStream in) {
        return Dist.read(in);
    }

    private static String scrapeUntil(String url, Pattern expected) throws Exception {
        return Dist.scrapeUntil(url, expected, Duration.ofSeconds(60));
    }

    private static void promtoolAccepts(String exposition) throws Exception {
        Dist.promtoolAccepts(exposition);
    }
}
