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
import java.util.LinkedHashMap;
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
 * The supervised worker JVM on the assembled distribution (issue 17 §3): experiments that exit,
 * halt, crash natively, spin past their time limit or are killed with kill -9 each end
 * {@code failed} with the reason, and the batch goes on in a fresh worker; the metrics endpoint
 * stays up across worker restarts with the relayed meters; a plugin whose constructor exits is
 * reported by name and skipped.
 */
class WorkerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static Path dist;
    @TempDir
    static Path work;
    static Path plugins;
    static Path exitingConstructorJar;

    @BeforeAll
    static void buildPlugins() throws IOException {
        dist = Path.of(System.getProperty("dlx.dist", "target/dlx"));
        assertThat(dist.resolve("bin/dlx")).isExecutable();
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("module-info.java", """
                module it.bad {
                    requires dlx.api;
                    requires micrometer.core;
                    requires jdk.unsupported;
                    provides dlx.api.Plugin with it.bad.BadPlugin;
                }""");
        sources.put("it/bad/BadPlugin.java", """
                package it.bad;
                import dlx.api.*;
                import java.util.List;
                public final class BadPlugin implements Plugin {
                    public String name() { return "itbad"; }
                    public List<Class<? extends Experiment>> experiments() {
                        return List.of(Ok1.class, Ok2.class, Ok3.class, Ok4.class, Ok5.class, Exit.class, Halt.class, Spin.class,
                                Segv.class, Sleepy.class);
                    }
                }""");
        // An ok run that also counts on a meter of its own, on the injected registry.
        sources.put("it/bad/Ok.java", """
                package it.bad;
                import dlx.api.*;
                import io.micrometer.core.instrument.MeterRegistry;
                abstract class Ok implements Experiment {
                    private final MeterRegistry registry;
                    Ok(MeterRegistry registry) { this.registry = registry; }
                    abstract String id();
                    public ExperimentSpec spec() { return ExperimentSpec.builder(id()).title("finishes ok").build(); }
                    public void run(RunRequest request, RunReporter reporter) {
                        io.micrometer.core.instrument.Counter.builder("it.ok.calls").tag("experiment", id())
                                .description("runs of the ok experiments").register(registry).increment();
                        reporter.metric("okValue", id().charAt(id().length() - 1) - '0');
                    }
                }""");
        for (int i = 1; i <= 5; i++) {
            sources.put("it/bad/Ok" + i + ".java", """
                    package it.bad;
                    public final class OkN extends Ok {
                        @jakarta.inject.Inject public OkN(io.micrometer.core.instrument.MeterRegistry r) { super(r); }
                        String id() { return "it.okN"; }
                    }""".replace("N", Integer.toString(i)));
        }
        sources.put("it/bad/Bad.java", """
                package it.bad;
                import dlx.api.*;
                abstract class Bad implements Experiment {
                    abstract String id();
                    abstract void misbehave() throws Exception;
                    public ExperimentSpec spec() { return ExperimentSpec.builder(id()).title("misbehaves").build(); }
                    public void run(RunRequest request, RunReporter reporter) throws Exception {
                        reporter.log("about to misbehave: " + id());
                        System.out.println("printed by " + id() + " before it misbehaves");
                        misbehave();
                    }
                }""");
        sources.put("it/bad/Exit.java", """
                package it.bad;
                public final class Exit extends Bad {
                    String id() { return "it.exit"; }
                    void misbehave() { System.exit(3); }
                }""");
        sources.put("it/bad/Halt.java", """
                package it.bad;
                public final class Halt extends Bad {
                    String id() { return "it.halt"; }
                    void misbehave() { Runtime.getRuntime().halt(7); }
                }""");
        sources.put("it/bad/Spin.java", """
                package it.bad;
                public final class Spin extends Bad {
                    static volatile long sink;
                    String id() { return "it.spin"; }
                    void misbehave() { while (true) { sink++; } }
                }""");
        sources.put("it/bad/Segv.java", """
                package it.bad;
                public final class Segv extends Bad {
                    String id() { return "it.segv"; }
                    void misbehave() throws Exception {
                        java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                        f.setAccessible(true);
                        ((sun.misc.Unsafe) f.get(null)).putAddress(0, 42);
                    }
                }""");
        sources.put("it/bad/Sleepy.java", """
                package it.bad;
                public final class Sleepy extends Bad {
                    String id() { return "it.sleepy"; }
                    void misbehave() throws Exception { Thread.sleep(120_000); }
                }""");
        Path jar = PluginJars.build(dist.resolve("lib"), work, "it-bad", sources);
        plugins = work.resolve("plugins");
        Files.createDirectories(plugins);
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        exitingConstructorJar = PluginJars.build(dist.resolve("lib"), work, "it-exitctor", Map.of(
                "module-info.java", "module it.exitctor { requires dlx.api; provides dlx.api.Plugin with it.exitctor.ExitPlugin; }",
                "it/exitctor/ExitPlugin.java", """
                        package it.exitctor;
                        import dlx.api.*;
                        import java.util.List;
                        public final class ExitPlugin implements Plugin {
                            public ExitPlugin() { System.exit(5); }
                            public String name() { return "itexit"; }
                            public List<Class<? extends Experiment>> experiments() { return List.of(); }
                        }"""));
    }

    @Test
    void aPluginWhoseConstructorExitsIsNamedAndSkippedByListAndRun() throws Exception {
        Path dir = work.resolve("plugins-exitctor");
        Files.createDirectories(dir);
        Files.copy(plugins.resolve("it-bad.jar"), dir.resolve("it-bad.jar"));
        Files.copy(exitingConstructorJar, dir.resolve("it-exitctor.jar"));
        for (int i = 0; i < 2; i++) { // the second time from the probe's cache
            Run list = dlx("list", "--plugins", dir.toString());
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).contains("it.ok1", "it.segv", "itbad");
            assertThat(list.err()).contains("it-exitctor.jar: its plugin ended the JVM while being created")
                    .contains("exited with code 5").contains("skipped");
        }
        Run describe = dlx("describe", "it.ok2", "--plugins", dir.toString());
        assertThat(describe.exit()).isZero();
        assertThat(describe.err()).contains("it-exitctor.jar");
        Path out = work.resolve("out-exitctor");
        Run run = dlx("run", "it.ok2", "--plugins", dir.toString(), "--out", out.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(result(out, "it.ok2").get("status").asText()).isEqualTo("ok");
    }

    @Test
    void everyMisbehavingRunFailsWithItsReasonAndTheBatchGoesOnWithTheEndpointUpAcrossWorkers() throws Exception {
        Path out = work.resolve("out-batch");
        Process p = start("run", "it.ok1", "it.exit", "it.ok2", "it.halt", "it.ok3", "it.spin", "it.ok4", "it.segv", "it.ok5",
                "--timeout", "5s", "--plugins", plugins.toString(), "--out", out.toString(), "--metrics-port", "0",
                "--linger", "20");
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            String url = endpointUrl(p);
            // the last run's own meter, relayed from a worker started after three others died
            String scrape = scrapeUntil(url, Pattern.compile(Pattern.quote("dlx_runs_total{experiment=\"it.ok5\",status=\"ok\"} 1.0")));
            assertThat(scrape)
                    .contains("it_ok_calls_total{experiment=\"it.ok5\"} 1.0")
                    .contains("dlx_runs_total{experiment=\"it.exit\",status=\"failed\"} 1.0")
                    .contains("dlx_runs_total{experiment=\"it.spin\",status=\"failed\"} 1.0")
                    .contains("dlx_runs_total{experiment=\"it.ok1\",status=\"ok\"} 1.0")
                    .contains("jvm_memory_used_bytes");
            promtoolAccepts(scrape);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as("a run failed").isEqualTo(1);
            String summary = stdout.get(10, TimeUnit.SECONDS);
            for (String ok : List.of("it.ok1", "it.ok2", "it.ok3", "it.ok4", "it.ok5")) {
                assertThat(result(out, ok).get("status").asText()).as(ok).isEqualTo("ok");
                assertThat(summary).containsPattern(Pattern.quote(ok) + "\\s+[0-9a-f]{12}\\s+ok");
            }
            assertThat(failure(out, "it.exit", summary)).contains("exited with code 3").contains("printed by it.exit");
            assertThat(failure(out, "it.halt", summary)).contains("exited with code 7").contains("about to misbehave: it.halt");
            assertThat(failure(out, "it.spin", summary)).contains("timed out after 5s");
            assertThat(failure(out, "it.segv", summary)).contains("crashed").contains("SIGSEGV");
            assertThat(out.resolve("it.segv/latest/hs_err.log")).isNotEmptyFile();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aWorkerKilledWithSigkillFailsItsRunAndTheNextRunsInAFreshWorker() throws Exception {
        Path out = work.resolve("out-kill");
        Process p = start("run", "it.sleepy", "it.ok1", "--plugins", plugins.toString(), "--out", out.toString());
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = stdout.readLine()) != null && !line.contains("about to misbehave"); ) {
            // wait until the run is under way
        }
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> stdout.lines().reduce("", (a, b) -> a + b + "\n"));
        CompletableFuture.runAsync(() -> readAll(p.getErrorStream()));
        List<ProcessHandle> workers = p.toHandle().children().toList();
        assertThat(workers).as("one worker JVM under the launcher").hasSize(1);
        workers.get(0).destroyForcibly(); // kill -9
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        String summary = rest.get(10, TimeUnit.SECONDS);
        assertThat(failure(out, "it.sleepy", summary)).contains("killed by signal 9 (SIGKILL");
        assertThat(result(out, "it.ok1").get("status").asText()).isEqualTo("ok");
        assertThat(summary).containsPattern("it.ok1\\s+[0-9a-f]{12}\\s+ok");
    }

    @Test
    void ctrlCReachingLauncherAndWorkerCancelsARunThatIgnoresItWithinTheGraceAndExits130() throws Exception {
        Path out = work.resolve("out-ctrlc");
        Process p = start("run", "it.sleepy", "it.ok1", "--plugins", plugins.toString(), "--out", out.toString());
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = stdout.readLine()) != null && !line.contains("about to misbehave"); ) {
            // wait until the run is under way
        }
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> stdout.lines().reduce("", (a, b) -> a + b + "\n"));
        CompletableFuture.runAsync(() -> readAll(p.getErrorStream()));
        // a terminal's Ctrl-C signals the whole process group: the launcher and its worker
        List<String> kill = new ArrayList<>(List.of("kill", "-INT", Long.toString(p.pid())));
        p.toHandle().children().forEach(c -> kill.add(Long.toString(c.pid())));
        assertThat(kill).hasSize(4);
        assertThat(new ProcessBuilder(kill).start().waitFor()).isZero();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("128 + SIGINT").isEqualTo(130);
        String summary = rest.get(10, TimeUnit.SECONDS);
        JsonNode r = result(out, "it.sleepy");
        assertThat(r.get("status").asText()).isEqualTo("cancelled");
        // it sleeps without looking at its cancel flag: the worker is stopped after the grace period
        assertThat(r.get("error").asText()).contains("did not stop within 10 s");
        assertThat(summary).containsPattern("it.sleepy\\s+[0-9a-f]{12}\\s+cancelled").doesNotContain("it.ok1 ");
        assertThat(out.resolve("it.ok1")).doesNotExist();
    }

    // --- helpers ---

    private static Run dlx(String... args) throws Exception {
        return Dist.dlx(env(), 3, args);
    }

    /** The run's result.json; asserts it failed, that the summary shows it, and returns its error. */
    private static String failure(Path out, String id, String summary) throws IOException {
        JsonNode r = result(out, id);
        assertThat(r.get("status").asText()).as(id).isEqualTo("failed");
        assertThat(summary).containsPattern(Pattern.quote(id) + "\\s+[0-9a-f]{12}\\s+failed");
        return r.get("error").asText();
    }

    private static JsonNode result(Path out, String id) throws IOException {
        return JSON.readTree(out.resolve(id).resolve("latest/result.json").toFile());
    }

    private static String endpointUrl(Process p) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        for (String line; (line = err.readLine()) != null; ) {
            Matcher m = Pattern.compile("metrics at (http://\\S+)").matcher(line);
            if (m.find()) {
                CompletableFuture.runAsync(() -> err.lines().forEach(l -> { }));
                return m.group(1);
            }
        }
        throw new AssertionError("the launcher printed no endpoint URL");
    }

    /** This class's cache folder and a 512 MiB heap for the launcher and its workers. */
    private static Map<String, String> env() {
        return Map.of("DLX_CACHE", work.resolve("cache").toString(), "DLX_JAVA_OPTS", "-Xmx512m");
    }

    private static Process start(String... args) throws IOException {
        return Dist.start(env(), args);
    }

    private static String readAll(java.io.InputStream in) {
        return Dist.read(in);
    }

    private static String scrapeUntil(String url, Pattern expected) throws Exception {
        return Dist.scrapeUntil(url, expected, Duration.ofMinutes(3));
    }

    private static void promtoolAccepts(String exposition) throws Exception {
        Dist.promtoolAccepts(exposition);
    }
}
