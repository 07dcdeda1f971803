package dlx.kit.djl;

/**
 * Thread settings of DJL's PyTorch engine. The course's models are small, so a training step is
 * overhead-bound and intra-op threads mostly add synchronisation: measured on the 2-core build
 * machine, char-LM steps took 8.7 ms with one thread against 60-240 ms with PyTorch's default,
 * and 200 steps of the BERT head 3 s against 42 s. Unless the user set them
 * ({@code -Dai.djl.pytorch.num_threads=N}, {@code OMP_NUM_THREADS}), the engine starts with one
 * intra-op and one inter-op thread. Has no effect once the engine has started, so
 * {@link Devices#choose} calls it before touching the engine.
 */
public final class EngineThreads {
    public static final String THREADS = "ai.djl.pytorch.num_threads";
    public static final String INTEROP = "ai.djl.pytorch.num_interop_threads";

    private EngineThreads() { }

    public static void configure() {
        if (System.getProperty(THREADS) == null && System.getenv("OMP_NUM_THREADS") == null) {
            System.setProperty(THREADS, "1");
        }
        if (System.getProperty(INTEROP) == null) {
            System.setProperty(INTEROP, "1");
        }
    }
}
