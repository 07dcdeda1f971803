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

    /**
     * libtorch's intra-op thread count now (by reflection: the engine's classes are not DJL's
     * API); the configured value when the engine cannot be asked.
     */
    public static int intraOp() {
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils", true,
                    ai.djl.engine.Engine.getInstance().getClass().getClassLoader());
            return (Integer) jni.getMethod("getNumThreads").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            String configured = System.getProperty(THREADS, "1");
            try {
                return Integer.parseInt(configured);
            } catch (NumberFormatException bad) {
                return 0;
            }
        }
    }

    /**
     * Sets libtorch's intra-op thread count (when {@code threads > 0} and the engine is PyTorch);
     * returns the previous count, 0 when nothing changed. The most threads a run used is noted
     * for the result's {@code environment.determinism}.
     */
    public static int setIntraOp(int threads, java.util.function.Consumer<String> log) {
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getInstance();
        if (threads <= 0 || !"PyTorch".equals(engine.getEngineName())) {
            return 0;
        }
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils", true, engine.getClass().getClassLoader());
            int previous = (Integer) jni.getMethod("getNumThreads").invoke(null);
            jni.getMethod("setNumThreads", int.class).invoke(null, threads);
            dlx.kit.seeding.RunUsage.djlThreads(threads);
            log.accept("libtorch intra-op threads: " + threads + " (was " + previous + ")");
            return previous;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.accept("could not set libtorch's thread count: " + e);
            return 0;
        }
    }

    public static void configure() {
        if (System.getProperty(THREADS) == null && System.getenv("OMP_NUM_THREADS") == null) {
            System.setProperty(THREADS, "1");
        }
        if (System.getProperty(INTEROP) == null) {
            System.setProperty(INTEROP, "1");
        }
    }
}
