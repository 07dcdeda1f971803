package dlx.engine;

import dlx.api.RunSeeding;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeding service as a library would provide it (registered in this module's test
 * {@code META-INF/services}): remembers the seed it was given and, once a run used "its library",
 * says whether that run repeats bit for bit.
 */
public final class TestSeeding implements RunSeeding {
    static final AtomicLong SEED = new AtomicLong(Long.MIN_VALUE);
    static final AtomicBoolean USED = new AtomicBoolean();
    static final AtomicBoolean EXACT = new AtomicBoolean(true);

    @Override
    public List<String> seed(long seed) {
        SEED.set(seed);
        USED.set(false);
        return List.of("test generator (seed " + seed + ")");
    }

    @Override
    public List<Determinism> determinism() {
        if (!USED.get()) {
            return List.of();
        }
        return List.of(EXACT.get() ? new Determinism("test library", true, "1 thread")
                : new Determinism("test library", false, "4 threads may add in another order"));
    }
}
