package dlx.vision;

import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
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
    /** Fashion-MNIST's whole training set, on which the course's OOD notebook trained. */
    static final int FULL_TRAIN = 60_000;

    private static SoftReference<Cached> cache = new SoftReference<>(null);

    private record Cached(String key, FashionMnist.Splits splits, SparseImages[] sparse) { }

    private VisionData() { }

    static ParamSpec.Builder dataDirParam() {
        return ParamSpec.path(DATA_DIR).help("folder holding the four Fashion-MNIST IDX files (gzipped or not); default: "
                + "DLX_DATA, then /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist), then a verified download");
    }

    /** The dense splits (10,000 train, 2,000 validation, 10,000 test; the run's seed picks train/validation). */
    static FashionMnist.Splits splits(RunRequest request, RunReporter reporter) throws IOException {
        return load(request, reporter).splits();
    }

    /** {train, validation, test} in sparse form. */
    static SparseImages[] sparse(RunRequest request, RunReporter reporter) throws IOException {
        return load(request, reporter).sparse();
    }

    /** Training and test images of the OOD study. */
    record TrainTest(FashionMnist.Split train, FashionMnist.Split test) { }

    /**
     * {@code nTrain} of Fashion-MNIST's 60,000 training images (all of them, in file order, when
     * {@code nTrain} is 60,000; else the first {@code nTrain} of a permutation seeded with the run's
     * seed) and the first {@code nTest} official test images. Not cached: the OOD study reads them once.
     */
    static TrainTest oodImages(RunRequest request, RunReporter reporter, int nTrain, int nTest) throws IOException {
        Path dir = FashionMnist.locate(request.params().path(DATA_DIR), request.data(), reporter);
        FashionMnist.Split all = FashionMnist.readTrain(dir);
        FashionMnist.Split test = FashionMnist.readTest(dir);
        if (nTrain > all.count() || nTest > test.count()) {
            throw new IllegalArgumentException("asked for " + nTrain + " training and " + nTest + " test images, but " + dir
                    + " holds " + all.count() + " and " + test.count());
        }
        FashionMnist.Split train = nTrain == all.count() ? all
                : all.subset(java.util.Arrays.copyOf(FashionMnist.permutation(all.count(), request.seed()), nTrain));
        reporter.log(String.format("Fashion-MNIST from %s: %,d of %,d training images, %,d test images", dir,
                train.count(), all.count(), nTest));
        return new TrainTest(train, test.first(nTest));
    }

    private static synchronized Cached load(RunRequest request, RunReporter reporter) throws IOException {
        Path dir = FashionMnist.locate(request.params().path(DATA_DIR), request.data(), reporter);
        String key = dir.toAbsolutePath().normalize() + "#" + request.seed();
        Cached c = cache.get();
        if (c == null || !c.key().equals(key)) {
            long t0 = System.nanoTime();
            FashionMnist.Splits s = FashionMnist.courseSplits(dir, request.seed(), TRAIN, VALIDATION, TEST);
            c = new Cached(key, s, new SparseImages[] {
                new SparseImages(s.train()), new SparseImages(s.validation()), new SparseImages(s.test())});
            cache = new SoftReference<>(c);
            reporter.log(String.format("Fashion-MNIST from %s: %d train, %d validation, %d test (%.1f s)", dir,
                    s.train().count(), s.validation().count(), s.test().count(), (System.nanoTime() - t0) / 1e9));
        } else {
            reporter.log("Fashion-MNIST from " + dir + " (already loaded)");
        }
        return c;
    }
}
