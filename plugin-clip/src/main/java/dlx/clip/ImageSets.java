package dlx.clip;

import dlx.kit.data.FashionMnist;
import java.awt.image.BufferedImage;
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

    /**
     * Images with names, loaded as 8-bit RGB planes (what CLIP's preprocessing starts from: a
     * Fashion-MNIST image goes there directly, without a BufferedImage); {@code labels} index into
     * {@code classes} (empty for an unlabelled gallery).
     */
    record Images(List<String> names, IntFunction<ClipPreprocessor.Rgb> loader, int[] labels, List<String> classes) {
        int count() {
            return names.size();
        }

        ClipPreprocessor.Rgb rgb(int i) {
            return loader.apply(i);
        }

        /** For display (contact sheets). */
        BufferedImage image(int i) {
            return rgb(i).toImage();
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

    /**
     * The Fashion-MNIST image at {@code offset} of {@code pixels} (28x28 values in [0, 1], each a
     * byte / 255) as the 8-bit grey levels it was stored as.
     */
    static int[] grayLevels(float[] pixels, int offset, int side) {
        int[] plane = new int[side * side];
        for (int i = 0; i < plane.length; i++) {
            // round to the nearest level (x >= 0 here, so +0.5 and truncation round half up)
            plane[i] = (int) (Math.max(0f, Math.min(1f, pixels[offset + i])) * 255f + 0.5f);
        }
        return plane;
    }

    /** One grey plane as an RGB image, the plane shared by the three channels. */
    static ClipPreprocessor.Rgb grayRgb(int[] plane, int side) {
        return new ClipPreprocessor.Rgb(side, side, new int[][] {plane, plane, plane});
    }

    /**
     * The first {@code limit} Fashion-MNIST test images, turned back once here into the 8-bit
     * levels the IDX file stores (the kit's reader scales them to [0, 1]): turning them back at
     * every encoding took longer than CLIP's normalisation of the pixels.
     */
    static Images fashionMnist(Path dir, int limit) throws IOException {
        FashionMnist.Split test = FashionMnist.readTest(dir);
        FashionMnist.Split used = limit >= test.count() ? test : test.first(limit);
        List<String> names = new ArrayList<>();
        int[][] planes = new int[used.count()][];
        for (int i = 0; i < used.count(); i++) {
            names.add(String.format(Locale.ROOT, "fmnist-test-%05d (%s)", i, FashionMnist.CLASSES.get(used.labels()[i])));
            planes[i] = grayLevels(used.images(), i * FashionMnist.PIXELS, FashionMnist.SIDE);
        }
        return new Images(names, i -> grayRgb(planes[i], FashionMnist.SIDE), used.labels(), FashionMnist.CLASSES);
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
        return new Images(names, i -> ClipPreprocessor.toRgb(read(chosen.get(i))), lb, classes);
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
        return new Images(names, i -> ClipPreprocessor.toRgb(read(files.get(i))), none, List.of());
    }
}
