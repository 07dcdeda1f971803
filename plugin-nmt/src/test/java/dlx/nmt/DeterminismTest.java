package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.DataSource;
import dlx.api.Experiment;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import dlx.testkit.ForkedRun;
import dlx.testkit.SameNumbers;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Same seed, same numbers: every nmt experiment (all train with DJL) runs its quick profile, made
 * smaller but still two epochs long (the second epoch is where freed-memory reads showed), twice in
 * this JVM, the second time with a thread collecting garbage beside it, and every series, metric
 * and answer must be the same bits. One configuration also runs in a separate JVM.
 */
class DeterminismTest {
    private static final Map<String, Object> PIG_LATIN = Map.of("dataset", "small", "hidden", 16, "epochs", 2,
            "stepsPerEpoch", 8, "testWords", 5, "translate", "team");

    @TempDir
    Path tempDir;

    static Stream<Arguments> experiments() {
        return Stream.of(
                args(AttentionExperiment::new, Map.of("hiddenSizes", 16, "datasets", "small", "epochs", 2, "stepsPerEpoch", 8,
                        "testWords", 5, "translate", "team")),
                args(DecoderOnlyExperiment::new, PIG_LATIN),
                args(CompareArchitecturesExperiment::new, PIG_LATIN),
                args(PositionalEncodingExperiment::new, merged(PIG_LATIN, Map.of("encodings", "none,sinusoidal"))),
                args(IsoFlopExperiment::new, Map.of("dims", "8,12,16", "budgets", "5e8")),
                args(BenchPigLatinExperiment::new, Map.of("steps", 4, "warmupSteps", 1, "hidden", 16, "batchSize", 16)),
                args(CharLmExperiment::new, merged(Map.of("dim", 16, "layers", 1, "epochs", 2, "stepsPerEpoch", 6,
                        "validationBatches", 2), Map.of("studyEpochs", 1, "studyStepsPerEpoch", 3, "studySeeds", 1,
                        "contexts", 4, "headCounts", 2, "sampleLength", 20))),
                args(SelectByContentExperiment::new, Map.of("hidden", 16, "epochs", 2, "stepsPerEpoch", 8, "testExamples", 50)),
                args(SelectByPositionExperiment::new, Map.of("hidden", 16, "epochs", 2, "stepsPerEpoch", 8, "testExamples", 50)));
    }

    private static Arguments args(Supplier<Experiment> experiment, Map<String, Object> params) {
        return Arguments.of(experiment.get().spec().id(), experiment, params);
    }

    private static Map<String, Object> merged(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void twoRunsWithTheSameSeedGiveTheSameBits(String id, Supplier<Experiment> experiment, Map<String, Object> params) {
        ExperimentResult quiet = SameNumbers.repeatsUnderGcPressure(
                () -> ExperimentTestKit.quick(experiment.get()).params(params), tempDir);
        @SuppressWarnings("unchecked")
        Map<String, Object> determinism = (Map<String, Object>) quiet.environment().get("determinism");
        assertThat(determinism.get("bitExact")).as(String.valueOf(determinism.get("statement"))).isEqualTo(true);
    }

    /** Two processes: the numbers of a run must not depend on the process's memory layout or history. */
    @Test
    void aRunInAnotherJvmGivesTheSameBits() {
        Map<String, Object> params = PIG_LATIN;
        ExperimentResult here = ExperimentTestKit.quick(new DecoderOnlyExperiment()).params(params).in(tempDir.resolve("here"))
                .run();
        assertThat(here.status()).as(here.error()).isEqualTo(Status.OK);
        ExperimentResult there = ForkedRun.quick(DecoderOnlyExperiment.class, params, tempDir.resolve("there"), 300);
        assertThat(SameNumbers.comparedSeriesPoints(there)).isPositive();
        SameNumbers.assertSame(here, there);
    }

    /** The result names the shipped word list (with the digest of the very resource) and the generated pairs with their seed. */
    @Test
    void theResultSaysWhereItsDataCameFrom() throws Exception {
        ExperimentResult r = ExperimentTestKit.quick(new DecoderOnlyExperiment()).params(PIG_LATIN).param("epochs", 1)
                .in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        byte[] words;
        try (InputStream in = NmtPlugin.class.getResourceAsStream(WordList.RESOURCE)) {
            words = in.readAllBytes();
        }
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(words));
        assertThat(r.dataSources()).hasSize(2);
        DataSource list = r.dataSources().get(0);
        assertThat(list.name()).isEqualTo("english-words");
        assertThat(list.origin()).isEqualTo(DataSource.Origin.PLUGIN_RESOURCE);
        assertThat(list.location()).startsWith("dlx/nmt/english-words.txt in ");
        assertThat(list.bytes()).isEqualTo(words.length);
        assertThat(list.sha256()).isEqualTo(digest);
        DataSource pairs = r.dataSources().get(1);
        assertThat(pairs.origin()).isEqualTo(DataSource.Origin.GENERATED);
        assertThat(pairs.seed()).isEqualTo(42L);
    }

    /** Java's generators have no global seed: every draw in the plugin's code must come from a seeded generator. */
    @Test
    void everyDrawInThePluginsCodeIsSeeded() {
        assertThat(dlx.testkit.UnseededRandomness.in(java.nio.file.Path.of("src/main/java"))).isEmpty();
    }
}
