package dlx.nmt.train;

import ai.djl.engine.Engine;

/**
 * Seeds for runs made of several trainings. Each model seeds the engine itself before it is
 * initialised, so that its weights depend on its own seed and not on how many models the same
 * process initialised before it: a study run cell by cell (one process each) then trains exactly
 * the models of the study run in one process.
 */
public final class Seeds {
    private Seeds() { }

    /** A seed for one part of a run, mixed from the run's seed and the part's coordinates (SplitMix64). */
    public static long derive(long seed, long... parts) {
        long z = seed;
        for (long p : parts) {
            z = mix(z + 0x9E3779B97F4A7C15L * (p + 1));
        }
        return z;
    }

    /** Seeds DJL's engine (weight initialisation, engine-side random draws) with {@code seed}. */
    public static void engine(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
