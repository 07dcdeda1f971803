package dlx.vision;

import dlx.api.ParamSpec;
import dlx.api.RunContext;
import dlx.kit.data.FashionMnist;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.file.Path;

/** The course's Fashion-MNIST splits for a run (location from the {@code dataDir} parameter, else the platform's search). */
final class VisionData {
    static final String DATA_DIR = "dataDir";
    static final int TRAIN = 10_000;
    static final int VALIDATION = 2_000;
    static final int TEST = 10_000;

    private static SoftReference<Cached> cache = new SoftReference<>(null);

    private record Cached(String key, FashionMnist.Splits splits, SparseImages[] sparse) { }

    private VisionData() { }

    static ParamSpec.Builder dataDirParam() {
        return ParamSpec.path(DATA_DIR).help("folder holding the four Fashion-MNIST IDX files (gzipped or not); default: "
                + "DLX_DATA, then /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist), then a verified download");
    }

    /** The dense splits (10,000 train, 2,000 validation, 10,000 test; the run's seed picks train/validation). */
    static FashionMnist.Splits splits(RunContext ctx) throws IOException {
        return load(ctx).splits();
    }

    /** {train, validation, test} in sparse form. */
    static SparseImages[] sparse(RunContext ctx) throws IOException {
        return load(ctx).sparse();
    }

    private static synchronized Cached load(RunContext ctx) throws IOException {
        Path dir = FashionMnist.locate(ctx.params().path(DATA_DIR), ctx.data());
        String key = dir.toAbsolutePath().normalize() + "#" + ctx.seed();
        Cached c = cache.get();
        if (c == null || !c.key().equals(key)) {
            long t0 = System.nanoTime();
            FashionMnist.Splits s = FashionMnist.courseSplits(dir, ctx.seed(), TRAIN, VALIDATION, TEST);
            c = new Cached(key, s, new SparseImages[] {
                new SparseImages(s.train()), new SparseImages(s.validation()), new SparseImages(s.test())});
            cache = new SoftReference<>(c);
            ctx.log(String.format("Fashion-MNIST from %s: %d train, %d validation, %d test (%.1f s)", dir,
                    s.train().count(), s.validation().count(), s.test().count(), (System.nanoTime() - t0) / 1e9));
        } else {
            ctx.log("Fashion-MNIST from " + dir + " (already loaded)");
        }
        return c;
    }
}
