package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.DataSource;
import dlx.api.Experiment;
import dlx.engine.ExperimentResult;
import dlx.engine.config.PlatformConfig;
import dlx.testkit.ExperimentTestKit;
import dlx.testkit.SameNumbers;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Same seed, same numbers for bert's DJL training (the head on frozen features; the whole encoder
 * fine-tuned, whose GELU and attention scale autograd keeps for the backward pass): two runs in
 * this JVM, the second with a thread collecting garbage beside it, give the same bits. The result
 * does not promise bit-exactness across processes: the features come from ONNX Runtime's CPU
 * provider, whose thread pool is one thread per core.
 */
class DeterminismTest {
    @TempDir
    Path tempDir;

    static Stream<Arguments> experiments() {
        return Stream.of(
                Arguments.of("bert.frozen", (Supplier<Experiment>) () -> new FrozenExperiment(PlatformConfig.fromSystem()),
                        Map.of("headEpochs", 8)),
                Arguments.of("bert.finetune", (Supplier<Experiment>) () -> new FinetuneExperiment(PlatformConfig.fromSystem()),
                        Map.of("epochs", 1, "compareFrozen", false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void twoRunsWithTheSameSeedGiveTheSameBits(String id, Supplier<Experiment> experiment, Map<String, Object> params) {
        ExperimentResult quiet = SameNumbers.repeatsUnderGcPressure(
                () -> ExperimentTestKit.quick(experiment.get()).params(params), tempDir);

        @SuppressWarnings("unchecked")
        Map<String, Object> determinism = (Map<String, Object>) quiet.environment().get("determinism");
        assertThat(determinism.get("bitExact")).isEqualTo(false);
        assertThat((String) determinism.get("statement")).contains("ONNX Runtime CPU");
        assertThat(quiet.dataSources()).extracting(DataSource::name).contains("verbal-arithmetic",
                "encoder all-MiniLM-L6-v2");
        assertThat(quiet.dataSources()).filteredOn(d -> d.name().startsWith("encoder"))
                .allSatisfy(d -> assertThat(d.origin()).isEqualTo(DataSource.Origin.CACHE));
    }

    /** Java's generators have no global seed: every draw in the plugin's code must come from a seeded generator. */
    @Test
    void everyDrawInThePluginsCodeIsSeeded() {
        assertThat(dlx.testkit.UnseededRandomness.in(java.nio.file.Path.of("src/main/java"))).isEmpty();
    }
}
