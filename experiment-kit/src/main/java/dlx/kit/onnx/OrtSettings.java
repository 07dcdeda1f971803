package dlx.kit.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dlx.api.Configuration;

/**
 * How the kit's ONNX Runtime CPU sessions run: intra-op threads and whether the pool threads spin.
 * Read from the platform's {@link Configuration} (keys {@value #THREADS} and {@value #SPINNING}:
 * {@code -Ddlx.ort.threads=N} or {@code DLX_ORT_THREADS=N}; {@code dlx config} lists them), so a
 * plugin passes what it was injected instead of reading the environment.
 *
 * @param threads  intra-op threads; 0 is ONNX Runtime's default, one per physical core
 * @param spinning whether the pool threads spin while waiting for work. Spinning saves a wake-up
 *                 between operators, but the spinning threads keep the cores busy between runs
 *                 too, while the caller tokenises or preprocesses the next batch; on a shared or
 *                 small machine that starved the caller (bert.bench-encode under load: 127
 *                 sequences/s spinning, 522 without), so it is off by default.
 */
public record OrtSettings(int threads, boolean spinning) {
    /** Configuration keys (the launcher knows them too: {@code PlatformConfig.ORT_THREADS}, {@code ORT_SPINNING}). */
    public static final String THREADS = "ort.threads";
    public static final String SPINNING = "ort.spinning";
    /** ONNX Runtime's thread count, no spinning: what an unset configuration gives. */
    public static final OrtSettings DEFAULTS = new OrtSettings(0, false);

    public OrtSettings {
        if (threads < 0) {
            throw new IllegalArgumentException(THREADS + " " + threads + ": expected a thread count >= 0 (0: ONNX Runtime's default)");
        }
    }

    /** The settings {@code config} holds; a value of the wrong type names its key. */
    public static OrtSettings from(Configuration config) {
        String t = config.get(THREADS).orElse("0").trim();
        int threads;
        try {
            threads = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(THREADS + " '" + t + "': expected a thread count >= 0 (0: ONNX Runtime's default)");
        }
        String s = config.get(SPINNING).orElse("false").trim();
        if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(SPINNING + " '" + s + "': expected true or false");
        }
        return new OrtSettings(threads, Boolean.parseBoolean(s));
    }

    /**
     * The CPU session options dlx uses (every session of the kit, and so the bare loops the
     * benchmarks time beside dlx's path): all graph optimisations, these threads and spinning.
     */
    public OrtSession.SessionOptions cpuOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** The CPU session options in words, for a benchmark's record. */
    public String describe() {
        return "graph optimisation ALL, intra-op threads " + (threads > 0 ? threads : "ONNX Runtime's default (one per "
                + "physical core)") + ", session.intra_op.allow_spinning=" + (spinning ? 1 : 0)
                + " (keys " + THREADS + ", " + SPINNING + ")";
    }
}
