package dlx.clip;

import dlx.kit.data.FashionMnist;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Image sets the experiments run on; images are loaded lazily (one batch at a time). */
final class ImageSets {
    private ImageSets() { }

    /** Images with names; {@code labels} index into {@code classes} (empty for an unlabelled gallery). */
    record Images(List<String> names, IntFunction<BufferedImage> loader, int[] labels, List<String> classes) {
        int count() {
            return names.size();
        }

        BufferedImage image(int i) {
            return loader.apply(i);
        }
    }

    static Set<String> readableSuffixes() {
        Set<String> s = new TreeSet<>();
        for (String x : ImageIO.getReaderFileSuffixes()) {
            s.add(x.toLowerCase(Locale.ROOT));
        }
        return s;
    }

    static boolean isImageFile(Path p, Set<String> suffixes) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && suffixes.contains(n.substring(dot + 1)) && Files.isRegularFile(p);
    }

    static BufferedImage read(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new IOException(file + " is not an image ImageIO can read");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read image " + file + ": " + e.getMessage(), e);
        }
    }

    /** A Fashion-MNIST image (28x28, [0,1]) as an 8-bit grayscale image. */
    static BufferedImage grayImage(float[] pixels, int side) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                r.setSample(x, y, 0, Math.round(Math.max(0f, Math.min(1f, pixels[y * side + x])) * 255f));
            }
        }
        return img;
    }

    /** The first {@code limit} Fashion-MNIST test images. */
    static Images fashionMnist(Path dir, int limit) throws IOException {
        FashionMnist.Split test = FashionMnist.readTest(dir);
        FashionMnist.Split used = limit >= test.count() ? test : test.first(limit);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < used.count(); i++) {
            names.add(String.format(Locale.ROOT, "fmnist-test-%05d (%s)", i, FashionMnist.CLASSES.get(used.labels()[i])));
        }
        return new Images(names, i -> grayImage(used.image(i), FashionMnist.SIDE), used.labels(), FashionMnist.CLASSES);
    }

    /**
     * A labelled folder: one subfolder per class (sorted by name), images directly inside. With
     * more than {@code limit} images, a seeded random subset of {@code limit} is used.
     */
    static Images classFolders(Path root, int limit, long seed) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("image folder " + root + " does not exist");
        }
        Set<String> suffixes = readableSuffixes();
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> imgs;
            try (Stream<Path> s = Files.list(dir)) {
                imgs = s.filter(p -> isImageFile(p, suffixes)).sorted().collect(Collectors.toList());
            }
            if (imgs.isEmpty()) {
                continue;
            }
            classes.add(dir.getFileName().toString());
            for (Path p : imgs) {
                files.add(p);
                labels.add(classes.size() - 1);
            }
        }
        if (classes.size() < 2) {
            throw new IOException("image folder " + root + " must hold one subfolder of images per class (at least two "
                    + "classes; readable types: " + String.join(", ", suffixes) + "); found " + classes.size() + " class folder(s) with images");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            order.add(i);
        }
        if (files.size() > limit) {
            Collections.shuffle(order, new Random(seed));
            order = new ArrayList<>(order.subList(0, limit));
            Collections.sort(order);
        }
        List<String> names = new ArrayList<>();
        List<Path> chosen = new ArrayList<>();
        int[] lb = new int[order.size()];
        for (int k = 0; k < order.size(); k++) {
            Path p = files.get(order.get(k));
            chosen.add(p);
            names.add(root.relativize(p).toString());
            lb[k] = labels.get(order.get(k));
        }
        return new Images(names, i -> read(chosen.get(i)), lb, classes);
    }

    /** Every readable image under {@code root} (recursively, sorted by relative path), at most {@code limit}. */
    static Images gallery(Path root, int limit) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("image folder " + root + " does not exist");
        }
        Set<String> suffixes = readableSuffixes();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> isImageFile(p, suffixes)).sorted().limit(limit).collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IOException("image folder " + root + " holds no images (readable types: " + String.join(", ", suffixes) + ")");
        }
        List<String> names = files.stream().map(p -> root.relativize(p).toString()).collect(Collectors.toList());
        int[] none = new int[files.size()];
        Arrays.fill(none, -1);
        return new Images(names, i -> read(files.get(i)), none, List.of());
    }
}
