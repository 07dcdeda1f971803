package dlx.bert;

/**
 * Thread settings of DJL's PyTorch engine. The head and the fine-tuned MiniLM work on batches of a
 * few hundred tokens, so a step is overhead-bound and intra-op threads mostly add synchronisation:
 * measured on the busy 2-core build machine, 200 steps of the head took 42 s with PyTorch's
 * default threads and 3 s with one thread. Unless the user set them
 * ({@code -Dai.djl.pytorch.num_threads=N} or {@code OMP_NUM_THREADS}), the engine starts with one
 * intra-op and one inter-op thread. Has no effect once the engine has started.
 */
final class EngineThreads {
    static final String THREADS = "ai.djl.pytorch.num_threads";
    static final String INTEROP = "ai.djl.pytorch.num_interop_threads";

    private EngineThreads() { }

    static void configure() {
        if (System.getProperty(THREADS) == null && System.getenv("OMP_NUM_THREADS") == null) {
            System.setProperty(THREADS, "1");
        }
        if (System.getProperty(INTEROP) == null) {
            System.setProperty(INTEROP, "1");
        }
    }
}
