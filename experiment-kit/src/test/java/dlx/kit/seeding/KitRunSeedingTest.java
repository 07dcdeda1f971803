package dlx.kit.seeding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.RandomUtils;
import dlx.api.RunSeeding;
import dlx.kit.djl.Devices;
import dlx.kit.djl.EngineThreads;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The kit's seeding service: found as the platform finds it, seeds DJL's native and Java-side generators, reports what a run used. */
class KitRunSeedingTest {

    private static float[] draw() {
        try (NDManager m = NDManager.newBaseManager()) {
            return m.randomNormal(new Shape(8)).toFloatArray();
        }
    }

    @Test
    void theServiceIsFoundThroughTheClassPathsServiceFile() {
        assertThat(ServiceLoader.load(RunSeeding.class).stream().map(ServiceLoader.Provider::type))
                .contains(KitRunSeeding.class);
    }

    @Test
    void theSameSeedGivesTheSameDrawsFromLibtorchAndFromDjlsJavaGenerator() {
        KitRunSeeding seeding = new KitRunSeeding();
        List<String> seeded = seeding.seed(7);
        assertThat(seeded).singleElement().asString().contains("seed 7");
        float[] first = draw();
        int javaSide = RandomUtils.nextInt(1_000_000);
        seeding.seed(7);
        assertThat(draw()).containsExactly(first);
        assertThat(RandomUtils.nextInt(1_000_000)).isEqualTo(javaSide);
        seeding.seed(8);
        assertThat(draw()).isNotEqualTo(first);
    }

    @Test
    void aRunThatUsedNoEngineReportsNothingAndACpuRunWithOneThreadIsBitExact() {
        KitRunSeeding seeding = new KitRunSeeding();
        seeding.seed(1);
        assertThat(seeding.determinism()).isEmpty();
        Assumptions.assumeTrue(EngineThreads.intraOp() == 1, "libtorch runs with one intra-op thread here");
        Devices.choose(dlx.api.Device.CPU);
        assertThat(seeding.determinism()).singleElement().satisfies(d -> {
            assertThat(d.library()).contains("on cpu()");
            assertThat(d.bitExact()).isTrue();
            assertThat(d.why()).isEqualTo("1 intra-op thread");
        });
    }

    @Test
    void severalThreadsOrAnOnnxRuntimeSessionAreNotPromisedBitExact() {
        KitRunSeeding seeding = new KitRunSeeding();
        seeding.seed(1);
        RunUsage.djl("cpu()", 4);
        RunUsage.onnxRuntime("CPU");
        List<RunSeeding.Determinism> d = seeding.determinism();
        assertThat(d).hasSize(2).noneMatch(RunSeeding.Determinism::bitExact);
        assertThat(d.get(0).why()).startsWith("4 intra-op threads");
        assertThat(d.get(1).library()).isEqualTo("ONNX Runtime CPU");
        seeding.seed(1);
        RunUsage.djl("gpu(0)", 1);
        assertThat(seeding.determinism()).singleElement().satisfies(x -> assertThat(x.why()).startsWith("CUDA"));
    }
}
