package dlx.kit.data;

import dlx.api.DataLocations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST: finding the IDX files, reading them, and the course's splits (10,000 train and
 * 2,000 validation drawn from the official training set with a fixed seed; the official 10,000
 * test images). Pixels are scaled to [0, 1].
 */
public final class FashionMnist {
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final String DOWNLOAD_BASE = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    /** SHA-256 of the uncompressed files, so that any gzip of the official data verifies. */
    private static final Map<String, String> SHA256 = Map.of(
            TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    private FashionMnist() { }

    /** Images ({@code count x 784}, row-major, in [0,1]) with their labels 0..9. */
    public record Split(float[] images, int[] labels) {
        public int count() {
            return labels.length;
        }

        public float[] image(int i) {
            float[] out = new float[PIXELS];
            System.arraycopy(images, i * PIXELS, out, 0, PIXELS);
            return out;
        }

        /** The examples at the given indices, in that order. */
        public Split subset(int[] indices) {
            float[] im = new float[indices.length * PIXELS];
            int[] lb = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                System.arraycopy(images, indices[k] * PIXELS, im, k * PIXELS, PIXELS);
                lb[k] = labels[indices[k]];
            }
            return new Split(im, lb);
        }

        public Split first(int n) {
            int[] idx = new int[Math.min(n, count())];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            return subset(idx);
        }
    }

    /** The course's three splits. */
    public record Splits(Split train, Split validation, Split test) { }

    /**
     * The folder holding the four IDX files: the explicit folder (parameter {@code dataDir}) or
     * {@code DLX_DATA} (either the folder itself or its {@code fashion-mnist/} subfolder), then
     * Debian's {@code dataset-fashion-mnist}, then the download cache (downloading when the network
     * allows). Otherwise an error saying how to get the files.
     */
    public static Path locate(Optional<Path> explicit, DataLocations data) throws IOException {
        if (explicit.isPresent()) {
            Path dir = explicit.get();
            if (!holdsAll(dir) && holdsAll(dir.resolve("fashion-mnist"))) {
                dir = dir.resolve("fashion-mnist");
            }
            if (!holdsAll(dir)) {
                throw new IOException("dataDir " + dir + " does not hold the Fashion-MNIST files " + missing(dir)
                        + " (gzipped or not)");
            }
            return dir;
        }
        List<Path> candidates = new ArrayList<>();
        if (data.userDataDir().isPresent()) {
            Path d = data.userDataDir().get();
            // The user's data folder: where it holds part of the data set, the rest must be there too
            // (falling back silently to another copy would hide the mistake).
            for (Path c : List.of(d.resolve("fashion-mnist"), d)) {
                int present = 4 - missing(c).size();
                if (present > 0 && present < 4) {
                    throw new IOException("the data folder " + c + " (configuration key 'data', DLX_DATA) holds part of "
                            + "Fashion-MNIST but misses " + missing(c) + "; complete it or point DLX_DATA elsewhere");
                }
            }
            candidates.add(d.resolve("fashion-mnist"));
            candidates.add(d);
        }
        candidates.add(DEBIAN_DIR);
        Path cache = data.cacheDir().resolve("fashion-mnist");
        candidates.add(cache);
        for (Path c : candidates) {
            if (holdsAll(c)) {
                return c;
            }
        }
        try {
            download(cache);
            return cache;
        } catch (IOException e) {
            throw new IOException("Fashion-MNIST not found (looked in " + candidates + ") and the download failed ("
                    + e.getMessage() + "). Install it with 'apt-get install dataset-fashion-mnist', or put the four IDX "
                    + "files into a folder and pass --param dataDir=<folder> (or set DLX_DATA)", e);
        }
    }

    /**
     * Locates the files as {@link #locate(Optional, DataLocations)} does and reports where they came
     * from (origin, folder, size, digest) as the run's {@code fashion-mnist} data source.
     */
    public static Path locate(Optional<Path> explicit, DataLocations data, dlx.api.RunReporter reporter) throws IOException {
        Path dir = locate(explicit, data);
        List<Path> files = new ArrayList<>();
        for (String n : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            files.add(find(dir, n));
        }
        dlx.api.DataSource.Origin origin = dir.toAbsolutePath().normalize().startsWith(DEBIAN_DIR)
                ? dlx.api.DataSource.Origin.SYSTEM_PACKAGE : DataSources.origin(dir, explicit, data);
        reporter.dataSource(DataSources.files("fashion-mnist", origin, dir, files));
        return dir;
    }

    public static Split readTrain(Path dir) throws IOException {
        return read(dir, TRAIN_IMAGES, TRAIN_LABELS);
    }

    public static Split readTest(Path dir) throws IOException {
        return read(dir, TEST_IMAGES, TEST_LABELS);
    }

    /** {@code nTrain} + {@code nVal} examples drawn without overlap from the training set (seeded), and the first {@code nTest} test examples. */
    public static Splits courseSplits(Path dir, long seed, int nTrain, int nVal, int nTest) throws IOException {
        Split all = readTrain(dir);
        if (nTrain + nVal > all.count()) {
            throw new IllegalArgumentException("asked for " + nTrain + " train + " + nVal + " validation examples, but the training set has " + all.count());
        }
        int[] perm = permutation(all.count(), seed);
        int[] tr = java.util.Arrays.copyOfRange(perm, 0, nTrain);
        int[] va = java.util.Arrays.copyOfRange(perm, nTrain, nTrain + nVal);
        Split test = readTest(dir);
        return new Splits(all.subset(tr), all.subset(va), nTest >= test.count() ? test : test.first(nTest));
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static Split read(Path dir, String imagesName, String labelsName) throws IOException {
        IdxReader.IdxData images = IdxReader.read(find(dir, imagesName), 3);
        IdxReader.IdxData labels = IdxReader.read(find(dir, labelsName), 1);
        if (images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
            throw new IOException(images.file() + ": images are " + images.dims()[1] + "x" + images.dims()[2] + ", expected 28x28");
        }
        if (images.count() != labels.count()) {
            throw new IOException(images.file() + " holds " + images.count() + " images but " + labels.file() + " holds "
                    + labels.count() + " labels");
        }
        float[] px = new float[images.values().length];
        byte[] raw = images.values();
        for (int i = 0; i < px.length; i++) {
            px[i] = (raw[i] & 0xFF) / 255f;
        }
        int[] lb = new int[labels.count()];
        for (int i = 0; i < lb.length; i++) {
            lb[i] = labels.unsigned(i);
            if (lb[i] > 9) {
                throw new IOException(labels.file() + ": label " + lb[i] + " at index " + i + " is not a class 0..9");
            }
        }
        return new Split(px, lb);
    }

    private static Path find(Path dir, String name) throws IOException {
        for (String candidate : List.of(name + ".gz", name)) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException(dir + " holds neither " + name + ".gz nor " + name);
    }

    private static boolean holdsAll(Path dir) {
        return missing(dir).isEmpty();
    }

    private static List<String> missing(Path dir) {
        List<String> miss = new ArrayList<>();
        for (String n : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            if (!Files.isRegularFile(dir.resolve(n + ".gz")) && !Files.isRegularFile(dir.resolve(n))) {
                miss.add(n + "[.gz]");
            }
        }
        return miss;
    }

    private static void download(Path cache) throws IOException {
        Files.createDirectories(cache);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (String name : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            Path target = cache.resolve(name + ".gz");
            if (Files.isRegularFile(target)) {
                continue;
            }
            Path tmp = Files.createTempFile(cache, name, ".part");
            try {
                HttpResponse<Path> resp = http.send(HttpRequest.newBuilder(URI.create(DOWNLOAD_BASE + name + ".gz"))
                        .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofFile(tmp));
                if (resp.statusCode() != 200) {
                    throw new IOException("HTTP " + resp.statusCode() + " for " + resp.uri());
                }
                String sha = sha256OfGunzipped(tmp);
                if (!sha.equals(SHA256.get(name))) {
                    throw new IOException("checksum mismatch for " + name + ".gz: SHA-256 of its content is " + sha
                            + ", expected " + SHA256.get(name));
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download interrupted", e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    static String sha256OfGunzipped(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
