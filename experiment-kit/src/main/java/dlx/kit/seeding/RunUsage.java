package dlx.kit.seeding;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the current run used of the kit's engines, noted where the kit hands them out
 * ({@code Devices.choose}, {@code EngineThreads.setIntraOp}, {@code OrtSessions.open}) and read by
 * {@link KitRunSeeding} when the run ends. Runs of one process follow each other (the engine runs
 * one at a time), so one set of notes, cleared when a run is seeded, is enough.
 */
public final class RunUsage {
    private static final AtomicReference<String> DJL_DEVICE = new AtomicReference<>();
    private static final AtomicInteger DJL_MAX_THREADS = new AtomicInteger();
    private static final AtomicReference<String> ORT_PROVIDER = new AtomicReference<>();

    private RunUsage() { }

    static void clear() {
        DJL_DEVICE.set(null);
        DJL_MAX_THREADS.set(0);
        ORT_PROVIDER.set(null);
    }

    /** DJL's engine runs on {@code device} (e.g. {@code cpu()}, {@code gpu(0)}) with {@code threads} intra-op threads. */
    public static void djl(String device, int threads) {
        DJL_DEVICE.set(device);
        djlThreads(threads);
    }

    /** libtorch's intra-op thread count was set to {@code threads} during the run. */
    public static void djlThreads(int threads) {
        DJL_MAX_THREADS.accumulateAndGet(threads, Math::max);
    }

    /** An ONNX Runtime session runs on {@code provider} ({@code CPU}, {@code CUDA}); a GPU one wins. */
    public static void onnxRuntime(String provider) {
        ORT_PROVIDER.accumulateAndGet(provider, (was, now) -> was != null && !"CPU".equals(was) ? was : now);
    }

    static String djlDevice() {
        return DJL_DEVICE.get();
    }

    static int djlMaxThreads() {
        return DJL_MAX_THREADS.get();
    }

    static String onnxRuntimeProvider() {
        return ORT_PROVIDER.get();
    }
}
