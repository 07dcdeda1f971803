package dlx.api;

import java.util.List;

/**
 * A service through which a library's random generators are seeded by the platform, so that no
 * plugin can forget: before each run the engine calls {@link #seed} of every provider it finds in
 * the plugin's module layer (its own and the parent layers; on the class path, through
 * {@code META-INF/services}) with the run's seed, and after the run asks {@link #determinism} what
 * the run used and whether that repeats bit for bit. The experiment kit provides one for DJL's
 * engine and ONNX Runtime; the engine itself depends on neither.
 */
public interface RunSeeding {

    /** Seeds the generators this provider owns from {@code seed}; returns what it seeded, for the result. */
    List<String> seed(long seed);

    /** What the run that just ended used of this provider's libraries, each with whether it repeats bit for bit. */
    List<Determinism> determinism();

    /**
     * How a library ran in one run.
     *
     * @param library  e.g. {@code DJL PyTorch 2.7.1 on cpu()}
     * @param bitExact whether two runs with the same seed and these settings give the same bits on this machine
     * @param why      the settings that make it so, or the reason it cannot be promised
     */
    record Determinism(String library, boolean bitExact, String why) { }
}
