package dlx.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dlx.api.DataSource;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Profile;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.engine.config.PlatformConfig;
import dlx.engine.output.RunFiles;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a result says about repeating it: seeds the platform set, determinism, data sources, attempts; names kept inside the run's folder. */
class ReproducibilityRecordsTest {
    @TempDir
    Path out;

    static Experiment experiment(String id, BiConsumer<RunRequest, RunReporter> body) {
        return new Experiment() {
            @Override
            public ExperimentSpec spec() {
                return ExperimentSpec.builder(id).title(id).param(ParamSpec.integer("n", 3).quick(2)).build();
            }

            @Override
            public void run(RunRequest request, RunReporter reporter) {
                body.accept(request, reporter);
            }
        };
    }

    private ExperimentResult run(Experiment e, Map<String, String> params) {
        return new ExperimentRunner(RunSettings.quiet(out, new SimpleMeterRegistry(),
                new PlatformConfig(Map.of(), new Properties()).dataLocations())).run(e, "test", params, Profile.QUICK);
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePlatformSeedsEveryLibraryWithTheRunsSeedBeforeTheRunStarts() throws Exception {
        AtomicLong seenAtStart = new AtomicLong();
        ExperimentResult r = run(experiment("t.seeded", (req, rep) -> {
            seenAtStart.set(TestSeeding.SEED.get());
            TestSeeding.USED.set(true);
            rep.metric("x", 1);
        }), Map.of("seed", "1234"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(seenAtStart.get()).isEqualTo(1234L);

        @SuppressWarnings("unchecked")
        Map<String, Object> determinism = (Map<String, Object>) r.environment().get("determinism");
        assertThat(determinism.get("bitExact")).isEqualTo(true);
        assertThat((String) determinism.get("statement")).startsWith("bit-exact for seed 1234").contains("test library (1 thread)");
        assertThat((List<Object>) determinism.get("seeded")).contains((Object) "test generator (seed 1234)");
        JsonNode json = ResultStore.json().readTree(out.resolve("t.seeded/latest/result.json").toFile());
        assertThat(json.at("/environment/determinism/libraries/0/library").asText()).isEqualTo("test library");
    }

    @Test
    void aRunOfALibraryThatCannotRepeatItsBitsSaysWhy() {
        TestSeeding.EXACT.set(false);
        try {
            ExperimentResult r = run(experiment("t.threads", (req, rep) -> TestSeeding.USED.set(true)), Map.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> determinism = (Map<String, Object>) r.environment().get("determinism");
            assertThat(determinism.get("bitExact")).isEqualTo(false);
            assertThat((String) determinism.get("statement")).startsWith("not promised bit-exact for seed 42")
                    .contains("test library (4 threads may add in another order)");
        } finally {
            TestSeeding.EXACT.set(true);
        }
    }

    @Test
    void aPlainJavaRunIsBitExactForItsSeed() {
        ExperimentResult r = run(experiment("t.plain", (req, rep) -> rep.metric("x", 2)), Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> determinism = (Map<String, Object>) r.environment().get("determinism");
        assertThat(determinism.get("bitExact")).isEqualTo(true);
        assertThat((String) determinism.get("statement")).contains("plain Java");
    }

    @Test
    void dataSourcesAreRecordedOnceEachAndReadBackByTheRunIndex() throws Exception {
        DataSource words = DataSource.files("english-words", DataSource.Origin.PLUGIN_RESOURCE,
                "dlx/nmt/english-words.txt in plugin-nmt.jar", 1234, "ab".repeat(32));
        DataSource pairs = DataSource.generated("pig-latin", "the 3200 most frequent words", 42);
        ExperimentResult r = run(experiment("t.data", (req, rep) -> {
            rep.dataSource(words);
            rep.dataSource(pairs);
            rep.dataSource(words);
        }), Map.of());
        assertThat(r.dataSources()).containsExactly(words, pairs);

        JsonNode json = ResultStore.json().readTree(out.resolve("t.data/latest/result.json").toFile());
        JsonNode first = json.get("dataSources").get(0);
        assertThat(first.get("name").asText()).isEqualTo("english-words");
        assertThat(first.get("origin").asText()).isEqualTo("plugin-resource");
        assertThat(first.get("bytes").asLong()).isEqualTo(1234);
        assertThat(first.get("sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(json.get("dataSources").get(1).get("seed").asLong()).isEqualTo(42);
        assertThat(json.get("dataSources").get(1).has("bytes")).isFalse();
        assertThat(ResultStore.fromJson(json).dataSources()).containsExactly(words, pairs);

        RunRecord record = RunIndex.scan(out).stream().filter(x -> x.experiment().equals("t.data")).findFirst().orElseThrow();
        assertThat(record.dataSources()).hasSize(2);
        assertThat(record.value("data.pig-latin")).isEqualTo("generated the 3200 most frequent words");
        assertThat(record.value("data.english-words")).isEqualTo("plugin-resource dlx/nmt/english-words.txt in plugin-nmt.jar");
    }

    /**
     * A run that failed after writing checkpoints resumes when the same command runs again; its
     * duration then covers both attempts, and this attempt's own time is kept beside it.
     */
    @Test
    void aResumedRunsDurationCoversItsEarlierAttempts() throws Exception {
        AtomicInteger attempt = new AtomicInteger();
        Experiment e = experiment("t.resume", (req, rep) -> {
            try {
                Files.createDirectories(req.outputDir().resolve("checkpoints"));
                Thread.sleep(30);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            if (attempt.incrementAndGet() == 1) {
                throw new IllegalStateException("interrupted after a checkpoint");
            }
        });
        ExperimentResult failed = run(e, Map.of());
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.metrics()).doesNotContainKey("attempts");
        ExperimentResult resumed = run(e, Map.of());
        assertThat(resumed.status()).as(resumed.error()).isEqualTo(Status.OK);
        assertThat(resumed.metric("attempts")).isEqualTo(2.0);
        assertThat(resumed.metric("durationSeconds"))
                .isEqualTo(failed.metric("durationSeconds") + resumed.metric("attemptDurationSeconds"));
        assertThat(resumed.metric("attemptDurationSeconds")).isPositive();
    }

    @Test
    void aFailedRunWithoutCheckpointsStartsAfreshAndCountsOnlyItsOwnTime() {
        AtomicInteger attempt = new AtomicInteger();
        Experiment e = experiment("t.restart", (req, rep) -> {
            if (attempt.incrementAndGet() == 1) {
                throw new IllegalStateException("failed before any checkpoint");
            }
        });
        run(e, Map.of());
        ExperimentResult second = run(e, Map.of());
        assertThat(second.metrics()).doesNotContainKeys("attempts", "attemptDurationSeconds");
    }

    @Test
    void namesThatWouldLeaveTheRunsFolderAreRefused() throws Exception {
        Path dir = Files.createDirectories(out.resolve("run"));
        assertThat(RunFiles.inside(dir, "loss.png")).isEqualTo(dir.resolve("loss.png"));
        for (String bad : List.of("../../x.csv", "../x.png", "/tmp/x.png", "sub/x.csv", "a\\b.csv", "..", ".", ".hidden.csv",
                "x\0.csv", "C:x.csv", "", " ", "x".repeat(300) + ".csv")) {
            assertThatThrownBy(() -> RunFiles.inside(dir, bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run's folder");
        }
        Path outside = Files.createDirectories(out.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("link.csv"), outside.resolve("target.csv"));
        assertThatThrownBy(() -> RunFiles.inside(dir, "link.csv")).hasMessageContaining("symbolic link");
    }

    @Test
    void aSeriesCsvOrPlotLeftAsALinkIsNotFollowedOutOfTheRunsFolder() throws Exception {
        Path outside = Files.createDirectories(out.resolve("elsewhere")).resolve("stolen.csv");
        ExperimentResult r = run(experiment("t.link", (req, rep) -> {
            try {
                Files.createSymbolicLink(req.outputDir().resolve("trainLoss.csv"), outside);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            rep.series("trainLoss").add(0, 1);
        }), Map.of());
        assertThat(outside).doesNotExist();
        assertThat(r.artifacts()).doesNotContain("trainLoss.csv");
    }
}
