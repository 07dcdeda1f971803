package dlx.kit.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dlx.api.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Creates ONNX Runtime sessions on the CUDA execution provider when it really works, else on the
 * CPU. {@code getAvailableProviders()} only says what the build contains, so the CUDA provider is
 * tried and the failure caught; the provider actually used is returned with the session.
 */
public final class OrtSessions {
    /** System property: ONNX Runtime's intra-op threads (0 or unset: its default, one per physical core). */
    public static final String INTRA_OP_THREADS = "dlx.ort.intraOpThreads";
    /**
     * System property: whether ONNX Runtime's pool threads spin while waiting for work (default
     * false). Spinning saves a wake-up between operators, but the spinning threads keep the cores
     * busy between runs too, while the caller tokenises or preprocesses the next batch; on a
     * shared or small machine that starved the caller (bert.bench-encode under load: 127
     * sequences/s spinning, 522 without).
     */
    public static final String ALLOW_SPINNING = "dlx.ort.allowSpinning";

    private OrtSessions() { }

    /** A session and the execution provider it runs on ({@code CUDA} or {@code CPU}). */
    public record Opened(OrtSession session, String provider) implements AutoCloseable {
        @Override
        public void close() throws OrtException {
            session.close();
        }
    }

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * Opens {@code model}. With {@link Device#CPU} the CPU provider is used; with AUTO the CUDA
     * provider is tried first; with GPU a CUDA failure is an error.
     */
    public static Opened open(Path model, Device device, Consumer<String> log) throws OrtException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("ONNX model " + model + " does not exist");
        }
        OrtEnvironment env = environment();
        if (device != Device.CPU) {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.addCUDA(0);
                Opened opened = new Opened(env.createSession(model.toString(), options), "CUDA");
                dlx.kit.seeding.RunUsage.onnxRuntime(opened.provider());
                return opened;
            } catch (OrtException | RuntimeException | LinkageError e) {
                if (device == Device.GPU) {
                    throw new IllegalStateException("--device gpu: the CUDA execution provider of ONNX Runtime does not work here: "
                            + e.getMessage() + " (build with 'mvn -Pgpu package' for the GPU build of ONNX Runtime)", e);
                }
                log.accept("ONNX Runtime: CUDA execution provider not available (" + firstLine(e.getMessage())
                        + "); using the CPU provider");
            }
        }
        try (OrtSession.SessionOptions options = cpuOptions()) {
            Opened opened = new Opened(env.createSession(model.toString(), options), "CPU");
            dlx.kit.seeding.RunUsage.onnxRuntime(opened.provider());
            return opened;
        }
    }

    /**
     * The CPU session options dlx uses (every session of the kit, and so the bare loops the
     * benchmarks time beside dlx's path): all graph optimisations, {@link #INTRA_OP_THREADS}
     * and {@link #ALLOW_SPINNING}.
     */
    public static OrtSession.SessionOptions cpuOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            int threads = intraOpThreads();
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.addConfigEntry("session.intra_op.allow_spinning", allowSpinning() ? "1" : "0");
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** {@link #INTRA_OP_THREADS} (0: ONNX Runtime's default). */
    public static int intraOpThreads() {
        String v = System.getProperty(INTRA_OP_THREADS, "0").trim();
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + INTRA_OP_THREADS + "=" + v + ": expected a thread count >= 0 (0: ONNX Runtime's default)");
    }

    /** {@link #ALLOW_SPINNING} (default false). */
    public static boolean allowSpinning() {
        return Boolean.parseBoolean(System.getProperty(ALLOW_SPINNING, "false").trim());
    }

    /** The CPU session options in words, for a benchmark's record. */
    public static String describeCpuOptions() {
        int threads = intraOpThreads();
        return "graph optimisation ALL, intra-op threads " + (threads > 0 ? threads : "ONNX Runtime's default (one per "
                + "physical core)") + ", session.intra_op.allow_spinning=" + (allowSpinning() ? 1 : 0);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no reason given";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
