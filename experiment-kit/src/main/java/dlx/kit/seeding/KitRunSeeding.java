package dlx.kit.seeding;

import ai.djl.engine.Engine;
import dlx.api.RunSeeding;
import dlx.kit.djl.EngineThreads;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's hook into the kit's engines (a {@link RunSeeding} service): before each run it
 * seeds DJL's engine (libtorch's generator and DJL's Java-side {@code RandomUtils}) with the
 * run's seed, so that weight initialisation follows the seed whether or not the plugin calls
 * {@code Devices.choose}; after the run it says whether what the run used repeats bit for bit.
 *
 * <p>Bit-exact on CPU: libtorch with one intra-op thread (the kit's default, see
 * {@link EngineThreads}). Not promised: libtorch with several intra-op threads (a reduction split
 * over threads may add in another order), any CUDA device (cuBLAS/cuDNN choose algorithms at run
 * time, atomics), and ONNX Runtime's CPU provider, whose intra-op pool defaults to one thread per
 * core.
 */
public final class KitRunSeeding implements RunSeeding {

    @Override
    public List<String> seed(long seed) {
        RunUsage.clear();
        EngineThreads.configure();
        try {
            Engine engine = Engine.getInstance();
            engine.setRandomSeed((int) seed);
            return List.of("DJL " + engine.getEngineName() + " " + engine.getVersion()
                    + " (engine generator and DJL's RandomUtils, seed " + (int) seed + ")");
        } catch (RuntimeException | LinkageError e) {
            // A plugin that uses DJL fails on its own when it touches the engine; others need not care.
            return List.of("DJL's engine not seeded: it does not start here (" + e.getMessage() + ")");
        }
    }

    @Override
    public List<Determinism> determinism() {
        List<Determinism> used = new ArrayList<>();
        String device = RunUsage.djlDevice();
        if (device != null) {
            int threads = Math.max(1, RunUsage.djlMaxThreads());
            String library = Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion() + " on " + device;
            if (!device.startsWith("cpu")) {
                used.add(new Determinism(library, false, "CUDA kernels (cuBLAS, cuDNN, atomic adds) are not bit-exact "
                        + "from run to run"));
            } else if (threads > 1) {
                used.add(new Determinism(library, false, threads + " intra-op threads: a reduction split over threads "
                        + "may add in another order (with one intra-op thread it is bit-exact)"));
            } else {
                used.add(new Determinism(library, true, "1 intra-op thread"));
            }
        }
        String ort = RunUsage.onnxRuntimeProvider();
        if (ort != null) {
            String library = "ONNX Runtime " + ort;
            used.add("CPU".equals(ort)
                    ? new Determinism(library, false, "the CPU provider's intra-op pool has one thread per core by default; "
                            + "its kernels are not documented as bit-exact from run to run")
                    : new Determinism(library, false, "CUDA kernels are not bit-exact from run to run"));
        }
        return used;
    }
}
