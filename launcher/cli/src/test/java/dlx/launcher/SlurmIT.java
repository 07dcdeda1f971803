package dlx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dlx.launcher.sweep.Dist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on a real single-node Slurm cluster started by {@code scripts/slurm-cluster.sh} (root,
 * Debian's slurm-wlm and munge, as {@code .ci/run} installs them): job arrays of the assembled
 * distribution's {@code bin/dlx}, status from results and the queue, resubmission of what failed,
 * a warning signal that makes a training run checkpoint, requeue and resume, a study fanned out
 * into cells and a dependent fit, a Kubernetes manifest, and bad input.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path work;
    static Path cluster;
    static Map<String, String> env;
    static Path plugins;

    @BeforeAll
    static void startCluster() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(root && Files.isExecutable(Path.of("/usr/sbin/slurmctld")) && Files.isExecutable(Path.of("/usr/sbin/munged")),
                "needs root and Debian's slurm-wlm and munge (apt-get install -y slurm-wlm munge; .ci/run installs them)");
        cluster = work.resolve("cluster");
        ProcessBuilder start = new ProcessBuilder(script().toString(), "start", cluster.toString());
        start.environment().put("SLURMCTLD_PORT", Integer.toString(Dist.freePort()));
        start.environment().put("SLURMD_PORT", Integer.toString(Dist.freePort()));
        Dist.Run up = Dist.run(start, 2);
        assertThat(up.exit()).as(up.both()).isZero();
        env = Dist.env("SLURM_CONF", cluster.resolve("slurm.conf").toString());
        plugins = testPlugins();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            Dist.run(new ProcessBuilder(script().toString(), "stop", cluster.toString()), 2);
        }
    }

    private static Path script() {
        // failsafe runs in launcher/cli; the script is the repository's
        return Path.of(System.getProperty("user.dir")).resolve("../../scripts/slurm-cluster.sh").normalize();
    }

    /** The shipped plugins plus one built here: it.gated fails until its gate file exists; it.study fans out. */
    private static Path testPlugins() throws IOException {
        Path dir = work.resolve("plugins");
        Files.createDirectories(dir);
        try (Stream<Path> shipped = Files.list(Dist.home().resolve("plugins"))) {
            for (Path jar : shipped.toList()) {
                Files.copy(jar, dir.resolve(jar.getFileName()));
            }
        }
        Path jar = PluginJars.build(Dist.home().resolve("lib"), work, "it-sweep", Map.of(
                "module-info.java", """
                        module it.sweep {
                            requires dlx.api;
                            requires com.fasterxml.jackson.databind;
                            provides dlx.api.Plugin with it.sweep.SweepPlugin;
                        }""",
                "it/sweep/SweepPlugin.java", """
                        package it.sweep;
                        import dlx.api.*;
                        import java.util.List;
                        public final class SweepPlugin implements Plugin {
                            public String name() { return "itsweep"; }
                            public List<Class<? extends Experiment>> experiments() { return List.of(Gated.class, Study.class); }
                        }""",
                "it/sweep/Gated.java", """
                        package it.sweep;
                        import dlx.api.*;
                        import java.nio.file.Files;
                        public final class Gated implements Experiment {
                            public ExperimentSpec spec() {
                                return ExperimentSpec.builder("it.gated").title("fails for x=2 until the gate file exists")
                                    .param(ParamSpec.integer("x", 0).help("a number"))
                                    .param(ParamSpec.path("gate").help("x=2 fails while this file does not exist"))
                                    .build();
                            }
                            public void run(RunRequest request, RunReporter reporter) {
                                int x = request.params().integer("x");
                                if (x == 2 && !Files.exists(request.params().path("gate").orElseThrow())) {
                                    throw new IllegalStateException("gate closed for x=2\\nsecond line");
                                }
                                reporter.metric("square", x * x);
                            }
                        }""",
                "it/sweep/Study.java", """
                        package it.sweep;
                        import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
                        import com.fasterxml.jackson.databind.ObjectMapper;
                        import dlx.api.*;
                        import java.nio.file.*;
                        import java.util.*;
                        /** y = scale * x^2 + seed per cell; the fit is the least-squares slope of y on x^2 per scale. */
                        public final class Study implements Experiment {
                            public ExperimentSpec spec() {
                                return ExperimentSpec.builder("it.study").title("a study that fans out")
                                    .param(ParamSpec.list("xs", ParamType.INT_LIST, "1,2,3").min(1).help("x"))
                                    .param(ParamSpec.list("scales", ParamType.DOUBLE_LIST, "0.5,2").min(0.1).help("scales"))
                                    .param(ParamSpec.integer("onlyX", 0).min(0).help("only this x"))
                                    .param(ParamSpec.decimal("onlyScale", 0).min(0).help("only this scale"))
                                    .param(ParamSpec.path("fitFrom").help("fit from the cells in this results folder"))
                                    .build();
                            }
                            public void run(RunRequest request, RunReporter reporter) throws Exception {
                                Params p = request.params();
                                List<double[]> cells = new ArrayList<>();
                                if (p.path("fitFrom").isPresent()) {
                                    try (var runs = Files.list(p.path("fitFrom").get().resolve("it.study"))) {
                                        for (Path d : runs.filter(d -> !Files.isSymbolicLink(d)).toList()) {
                                            Path f = d.resolve("result.json");
                                            if (!Files.isRegularFile(f)) continue;
                                            JsonNode r = new ObjectMapper().readTree(f.toFile());
                                            if (r.path("params").path("onlyX").asInt() == 0) continue;
                                            r.path("answers").path("cells").forEach(c -> cells.add(
                                                new double[] {c.get(0).asDouble(), c.get(1).asDouble(), c.get(2).asDouble()}));
                                        }
                                    }
                                } else {
                                    for (double s : p.doubleList("scales")) for (int x : p.intList("xs")) {
                                        if ((p.integer("onlyX") == 0 || p.integer("onlyX") == x)
                                                && (p.decimal("onlyScale") == 0 || p.decimal("onlyScale") == s)) {
                                            cells.add(new double[] {x, s, s * x * x + p.seed()});
                                        }
                                    }
                                }
                                reporter.answer("cells", cells.stream().map(c -> List.of(c[0], c[1], c[2])).toList());
                                if (p.integer("onlyX") != 0 || p.decimal("onlyScale") != 0) return;
                                for (double s : p.doubleList("scales")) {
                                    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
                                    for (double[] c : cells) if (c[1] == s) {
                                        double u = c[0] * c[0]; n++; sx += u; sy += c[2]; sxx += u * u; sxy += u * c[2];
                                    }
                                    reporter.answer("slope", Labels.of("scale", Double.toString(s)), (n * sxy - sx * sy) / (n * sxx - sx * sx));
                                }
                            }
                        }"""));
        Files.copy(jar, dir.resolve(jar.getFileName()));
        return dir;
    }

    @Test
    @Order(1)
    void aFourPointSweepRunsAsOneArrayAndStatusSaysDone() throws Exception {
        Path out = work.resolve("out-theory");
        Dist.Run r = Dist.dlx(env, 3, "sweep", "submit", "theory.ridge-fgm-epsilon", "--profile", "quick",
                "--param", "lambda=0.1,0.2,0.3,0.4", "--launcher", "slurm", "--parallelism", "2", "--time", "10", "--out", out.toString());
        assertThat(r.exit()).as(r.both()).isZero();
        String job = match(r.out(), "submitted job array (\\d+) \\(4 of 4 runs, indices \\[0, 1, 2, 3\\]\\)");
        Path sweep = Path.of(match(r.out(), "dlx sweep status (\\S+)"));
        assertThat(Files.readString(sweep.resolve("sweep.sbatch"))).contains("#SBATCH --time=10", "#SBATCH --signal=B:USR1@120");
        assertThat(JSON.readTree(sweep.resolve("submissions.json").toFile()).get(0).get("jobId").asText()).isEqualTo(job);
        waitForEmptyQueue(3);

        JsonNode status = status(sweep);
        assertThat(status.get("counts").get("done").asInt()).as(status.toPrettyString()).isEqualTo(4);
        JsonNode plan = JSON.readTree(sweep.resolve("plan.json").toFile());
        for (JsonNode e : plan.get("runs")) {
            JsonNode result = JSON.readTree(out.resolve("theory.ridge-fgm-epsilon").resolve(e.get("runId").asText())
                    .resolve("result.json").toFile());
            assertThat(result.get("status").asText()).isEqualTo("ok");
            assertThat(result.get("runId").asText()).isEqualTo(e.get("runId").asText());
            double lambda = result.get("params").get("lambda").asDouble();
            assertThat(lambda).isEqualTo(0.1 * (e.get("index").asInt() + 1), org.assertj.core.data.Offset.offset(1e-12));
            // the defaults x = 1.5, trainX = (1, 2), trainT = (1, 3): ε = x (Σx² + 2nλ) / Σxt = 1.5 (5 + 4λ) / 7
            assertThat(result.get("answers").get("exampleEpsilon").asDouble())
                    .isCloseTo(1.5 * (5 + 4 * lambda) / 7, org.assertj.core.data.Offset.offset(1e-9));
            JsonNode scheduler = result.get("environment").get("scheduler");
            assertThat(scheduler.get("SLURM_ARRAY_JOB_ID").asText()).isEqualTo(job);
            assertThat(scheduler.get("SLURM_ARRAY_TASK_ID").asText()).isEqualTo(e.get("index").asText());
        }
        Dist.Run again = Dist.dlx(env, 2, "sweep", "submit", "--sweep", sweep.toString(), "--launcher", "slurm");
        assertThat(again.out()).as(again.both()).contains("nothing to submit, every run is done or queued (4 done)");
    }

    @Test
    @Order(2)
    void aFailedTaskIsShownWithItsErrorAndAResubmissionRunsOnlyIt() throws Exception {
        Path out = work.resolve("out-gated");
        Path gate = work.resolve("gate-open");
        String[] submit = {"sweep", "submit", "it.gated", "--plugins", plugins.toString(), "--param", "x=0,1,2,3",
                "--param", "gate=" + gate, "--launcher", "slurm", "--out", out.toString()};
        Dist.Run first = Dist.dlx(env, 3, submit);
        assertThat(first.exit()).as(first.both()).isZero();
        Path sweep = Path.of(match(first.out(), "dlx sweep status (\\S+)"));
        waitForEmptyQueue(3);
        JsonNode status = status(sweep);
        assertThat(status.get("counts").get("done").asInt()).isEqualTo(3);
        assertThat(status.get("counts").get("failed").asInt()).isEqualTo(1);
        JsonNode failed = status.get("runs").get(2);
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("detail").asText()).isEqualTo("IllegalStateException: gate closed for x=2");
        Dist.Run text = Dist.dlx(env, 2, "sweep", "status", sweep.toString());
        assertThat(text.out()).containsPattern("2\\s+\\w{12}\\s+it.gated\\s+failed\\s+IllegalStateException: gate closed for x=2")
                .contains("3 done, 1 failed");

        Files.writeString(gate, "open");
        Dist.Run second = Dist.dlx(env, 3, submit);
        assertThat(second.exit()).as(second.both()).isZero();
        assertThat(second.out()).contains("(1 of 4 runs, indices [2])");
        waitForEmptyQueue(3);
        assertThat(status(sweep).get("counts").get("done").asInt()).isEqualTo(4);
        // the three runs that were done ran once: one log start line each, index 2 twice
        String logs = logs(sweep);
        for (int i = 0; i < 4; i++) {
            assertThat(Pattern.compile("dlx: index " + i + ", job").matcher(logs).results().count()).as("starts of index " + i)
                    .isEqualTo(i == 2 ? 2 : 1);
        }
    }

    @Test
    @Order(3)
    void aFannedOutStudyFitsAfterItsCellsLikeTheStudyInOneProcess() throws Exception {
        Path out = work.resolve("out-study");
        Dist.Run r = Dist.dlx(env, 3, "sweep", "submit", "it.study", "--plugins", plugins.toString(), "--param", "xs=1,2,3,4",
                "--cell", "onlyX=xs", "--cell", "onlyScale=scales", "--fit", "fitFrom", "--launcher", "slurm", "--out", out.toString());
        assertThat(r.exit()).as(r.both()).isZero();
        assertThat(r.out()).contains("(8 of 8 runs, indices [0, 1, 2, 3, 4, 5, 6, 7])");
        String array = match(r.out(), "submitted job array (\\d+)");
        assertThat(match(r.out(), "submitted the fit as job \\d+ \\(after (\\d+)\\)")).isEqualTo(array);
        Path sweep = Path.of(match(r.out(), "dlx sweep status (\\S+)"));
        waitForEmptyQueue(4);
        JsonNode status = status(sweep);
        assertThat(status.get("counts").get("done").asInt()).as(status.toPrettyString()).isEqualTo(9);
        JsonNode plan = JSON.readTree(sweep.resolve("plan.json").toFile());
        JsonNode fanned = JSON.readTree(out.resolve("it.study").resolve(plan.get("fit").get("runId").asText())
                .resolve("result.json").toFile());

        Path alone = work.resolve("out-study-alone");
        Dist.Run one = Dist.dlx(Map.of(), 2, "run", "it.study", "--plugins", plugins.toString(), "--param", "xs=1,2,3,4",
                "--out", alone.toString());
        assertThat(one.exit()).as(one.both()).isZero();
        JsonNode whole = JSON.readTree(alone.resolve("it.study/latest/result.json").toFile());
        assertThat(fanned.get("answers").get("slope")).isEqualTo(whole.get("answers").get("slope"));
        assertThat(fanned.get("answers").get("slope").get("2.0").asDouble()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    @Order(4)
    void theIsoFlopStudyFannedOutGivesTheFitOfOneProcess() throws Exception {
        Dist.Run describe = Dist.dlx(Map.of(), 2, "describe", "nmt.isoflop");
        assumeTrue(describe.out().contains("onlyDim") && describe.out().contains("fitFrom"),
                "plugin-nmt's nmt.isoflop does not offer onlyDim/onlyBudget/fitFrom yet (issue 16)");
        Path out = work.resolve("out-isoflop");
        Dist.Run r = Dist.dlx(env, 3, "sweep", "submit", "nmt.isoflop", "--profile", "quick", "--cell", "onlyDim=dims",
                "--cell", "onlyBudget=budgets", "--fit", "fitFrom", "--launcher", "slurm", "--out", out.toString());
        assertThat(r.exit()).as(r.both()).isZero();
        Path sweep = Path.of(match(r.out(), "dlx sweep status (\\S+)"));
        Path alone = work.resolve("out-isoflop-alone");
        Dist.Run one = Dist.dlx(Map.of(), 8, "run", "nmt.isoflop", "--profile", "quick", "--out", alone.toString());
        assertThat(one.exit()).as(one.both()).isZero();
        waitForEmptyQueue(10);
        JsonNode status = status(sweep);
        assertThat(status.get("counts").get("done").asInt()).as(status.toPrettyString() + logs(sweep))
                .isEqualTo(status.get("runs").size());
        JsonNode plan = JSON.readTree(sweep.resolve("plan.json").toFile());
        JsonNode fanned = JSON.readTree(out.resolve("nmt.isoflop").resolve(plan.get("fit").get("runId").asText())
                .resolve("result.json").toFile());
        JsonNode whole = JSON.readTree(alone.resolve("nmt.isoflop/latest/result.json").toFile());
        for (String answer : List.of("nOptExponent", "tokensOptExponent", "optimalParamsPerBudget", "cells")) {
            assertThat(fanned.get("answers").get(answer)).as(answer).isEqualTo(whole.get("answers").get(answer));
        }
    }

    @Test
    @Order(5)
    void aTaskWarnedBeforeItsTimeLimitCheckpointsRequeuesAndResumes() throws Exception {
        Path out = work.resolve("out-preempt");
        // The warning is the signal Slurm sends the batch shell before the limit (#SBATCH --signal=B:USR1@S, checked in
        // every script above); here it is sent with scancel --batch as soon as the run has its first checkpoint, so
        // that the test takes one requeue and not the 10-40 s lag of slurmctld's time-limit check per life.
        Dist.Run r = Dist.dlx(env, 3, "sweep", "submit", "nmt.decoder-only", "--profile", "quick", "--param", "epochs=12",
                "--param", "patience=0", "--launcher", "slurm", "--time", "10", "--signal-seconds", "50", "--max-requeues", "1",
                "--out", out.toString());
        assertThat(r.exit()).as(r.both()).isZero();
        String job = match(r.out(), "submitted job array (\\d+)");
        Path sweep = Path.of(match(r.out(), "dlx sweep status (\\S+)"));
        Path runDir = out.resolve("nmt.decoder-only").resolve(JSON.readTree(sweep.resolve("plan.json").toFile())
                .get("runs").get(0).get("runId").asText());
        waitFor(() -> checkpoint(runDir), 3, "the first checkpoint in " + runDir);
        ProcessBuilder warn = new ProcessBuilder("scancel", "--batch", "--signal=USR1", job + "_0");
        warn.environment().putAll(env);
        Dist.Run warned = Dist.run(warn, 1);
        assertThat(warned.exit()).as(warned.both()).isZero();
        waitForEmptyQueue(5);

        String logs = logs(sweep);
        JsonNode status = status(sweep);
        assertThat(status.get("counts").get("done").asInt()).as(status.toPrettyString() + "\n" + logs).isEqualTo(1);
        assertThat(logs).contains("start 1,", "then requeueing " + job + "_0 (1 of 1)", "start 2,", "resumed after epoch");
        JsonNode result = JSON.readTree(runDir.resolve("result.json").toFile());
        assertThat(result.get("status").asText()).isEqualTo("ok");
        List<String> resumed = new ArrayList<>();
        result.get("metrics").fieldNames().forEachRemaining(k -> {
            if (k.startsWith("resumedFromEpoch")) {
                resumed.add(k);
            }
        });
        assertThat(resumed).as("metrics of a resumed run").isNotEmpty();
        assertThat(result.get("metrics").get(resumed.get(0)).asDouble()).isGreaterThan(0);
        // the first life was cancelled by the warning; its result is kept under attempts/
        try (Stream<Path> attempts = Files.list(runDir.resolve("attempts"))) {
            List<Path> earlier = attempts.toList();
            assertThat(earlier).hasSize(1);
            assertThat(JSON.readTree(earlier.get(0).resolve("result.json").toFile()).get("status").asText()).isEqualTo("cancelled");
        }
    }

    private static boolean checkpoint(Path runDir) {
        try (Stream<Path> files = Files.walk(runDir)) {
            return files.anyMatch(f -> f.getFileName().toString().equals("checkpoint.bin"));
        } catch (IOException e) {
            return false; // not there yet
        }
    }

    @Test
    @Order(6)
    void kubernetesGetsAnIndexedJobManifest() throws Exception {
        Path out = work.resolve("out-k8s");
        Dist.Run r = Dist.dlx(Map.of(), 2, "sweep", "submit", "theory.ridge-fgm-epsilon", "--profile", "quick",
                "--param", "lambda=0.1,0.2,0.3", "--launcher", "k8s", "--image", "registry.example/dlx:0.1", "--parallelism", "2",
                "--cpus", "1", "--mem", "2Gi", "--gpus", "1", "--claim-size", "5Gi", "--out", out.toString());
        assertThat(r.exit()).as(r.both()).isZero();
        Path manifest = Path.of(match(r.out(), "kubectl apply -f (\\S+)"));
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(manifest.toFile())) {
            it.forEachRemaining(docs::add);
        }
        JsonNode job = docs.stream().filter(d -> d.get("kind").asText().equals("Job")).findFirst().orElseThrow();
        assertThat(job.at("/spec/completionMode").asText()).isEqualTo("Indexed");
        assertThat(job.at("/spec/completions").asInt()).isEqualTo(3);
        assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(2);
        assertThat(job.at("/spec/backoffLimitPerIndex").asInt()).isEqualTo(2);
        assertThat(job.at("/spec/template/spec/containers/0/args/0").asText()).contains("--index \"$JOB_COMPLETION_INDEX\"");
        assertThat(job.at("/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/template/spec/containers/0/resources/requests/memory").asText()).isEqualTo("2Gi");
        assertThat(docs.stream().map(d -> d.get("kind").asText())).contains("ConfigMap", "PersistentVolumeClaim");
    }

    @Test
    @Order(7)
    void badInputIsOneLineAndLeavesNothingSubmitted() throws Exception {
        Path out = work.resolve("out-bad");
        // sbatch refuses an unknown partition: its message, exit 2, no script and no submission left
        Dist.Run refused = Dist.dlx(env, 2, "sweep", "submit", "theory.ridge-fgm-epsilon", "--profile", "quick",
                "--param", "lambda=0.5,0.6", "--launcher", "slurm", "--partition", "nosuch", "--out", out.toString());
        assertThat(refused.exit()).as(refused.both()).isEqualTo(2);
        assertThat(refused.err()).contains("dlx: sbatch refused the array: ").contains("nosuch");
        Path sweep;
        try (Stream<Path> s = Files.list(out.resolve("sweeps"))) {
            sweep = s.findFirst().orElseThrow();
        }
        assertThat(sweep.resolve("sweep.sbatch")).doesNotExist();
        assertThat(sweep.resolve("submissions.json")).doesNotExist();

        // no sbatch on PATH (only what bin/dlx itself needs)
        Path bin = work.resolve("bin-without-slurm");
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        Dist.Run missing = Dist.dlx(Dist.env("PATH", bin.toString(), "JAVA_HOME", System.getProperty("java.home")), 2,
                "sweep", "submit", "theory.ridge-fgm-epsilon", "--profile", "quick", "--param", "lambda=0.5,0.6",
                "--launcher", "slurm", "--out", out.toString());
        assertThat(missing.exit()).as(missing.both()).isEqualTo(2);
        assertThat(missing.err()).contains("sbatch not found on PATH");
        assertThat(sweep.resolve("submissions.json")).doesNotExist();

        Dist.Run index = Dist.dlx(Map.of(), 2, "run", "--sweep", sweep.resolve("plan.json").toString(), "--index", "7");
        assertThat(index.exit()).isEqualTo(2);
        assertThat(index.err()).contains("--index 7 is out of range").contains("has indices 0..1");
        Path yaml = work.resolve("bad.yaml");
        Files.writeString(yaml, "experiment: theory.ridge-fgm-epsilon\ngrid:\n  lambda: [0.1, 0.2\n");
        Dist.Run notYaml = Dist.dlx(Map.of(), 2, "sweep", "plan", "--sweep", yaml.toString(), "--out", out.toString());
        assertThat(notYaml.exit()).isEqualTo(2);
        assertThat(notYaml.err().strip().lines().filter(l -> l.startsWith("dlx:")).toList()).hasSize(1);
        assertThat(notYaml.err()).contains("bad.yaml is not valid YAML");
    }

    // --- helpers ---

    private static JsonNode status(Path sweep) throws Exception {
        Dist.Run r = Dist.dlx(env, 2, "sweep", "status", sweep.toString(), "--json");
        assertThat(r.exit()).as(r.both()).isZero();
        return JSON.readTree(r.out());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int minutes, String what) throws Exception {
        long deadline = System.nanoTime() + minutes * 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " after " + minutes + " min");
            }
            Thread.sleep(200);
        }
    }

    /** Waits until the cluster has no job left (the tests submit one sweep at a time). */
    private static void waitForEmptyQueue(int minutes) throws Exception {
        long deadline = System.nanoTime() + minutes * 60_000_000_000L;
        String queue = "";
        while (System.nanoTime() < deadline) {
            ProcessBuilder squeue = new ProcessBuilder("squeue", "-h", "-o", "%i %T %r");
            squeue.environment().putAll(env);
            Dist.Run r = Dist.run(squeue, 1);
            queue = r.out();
            if (r.exit() == 0 && queue.isBlank()) {
                return;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("Slurm jobs still queued after " + minutes + " min:\n" + queue);
    }

    private static String logs(Path sweep) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(sweep.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                all.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'" + regex + "' in:\n" + text).isTrue();
        return m.group(1);
    }
}
