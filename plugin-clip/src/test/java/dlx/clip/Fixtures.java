package dlx.clip;

import dlx.api.Configuration;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;

/** The tiny CLIP fixtures (built by src/test/python/make_tiny_clip.py) and images the tests make. */
final class Fixtures {
    private Fixtures() { }

    static Path single() {
        return resource("/tiny-clip-single");
    }

    static Path dual() {
        return resource("/tiny-clip-dual");
    }

    /** A platform configuration without a CLIP model. */
    static Configuration noModelConfigured() {
        return key -> Optional.empty();
    }

    /** A platform configuration whose {@code clip.model} is {@code folder}. */
    static Configuration modelConfigured(Path folder) {
        return key -> key.equals(ClipRuns.MODEL_KEY) ? Optional.of(folder.toString()) : Optional.empty();
    }

    private static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RGB image of one colour with a little seeded noise. */
    static BufferedImage solid(int w, int h, Color c, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rr = clamp(c.getRed() + r.nextInt(21) - 10);
                int gg = clamp(c.getGreen() + r.nextInt(21) - 10);
                int bb = clamp(c.getBlue() + r.nextInt(21) - 10);
                img.setRGB(x, y, (rr << 16) | (gg << 8) | bb);
            }
        }
        return img;
    }

    /** An 8-bit grayscale image of one level with a little seeded noise. */
    static BufferedImage gray(int w, int h, int level, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, clamp(level + r.nextInt(11) - 5));
            }
        }
        return img;
    }

    static final Color RED = new Color(200, 20, 30);
    static final Color GREEN = new Color(30, 200, 40);
    static final Color BLUE = new Color(30, 40, 210);

    /**
     * A labelled folder: red/, green/, blue/ (RGB PNGs and a JPEG) and dark/, bright/ (grayscale
     * PNGs), images of different sizes and aspect ratios; {@code perClass} images per class.
     */
    static Path colourFolders(Path root, int perClass) {
        try {
            int[][] sizes = {{40, 30}, {30, 50}, {64, 64}, {33, 17}, {28, 28}};
            for (int i = 0; i < perClass; i++) {
                int w = sizes[i % sizes.length][0];
                int h = sizes[i % sizes.length][1];
                write(root.resolve("red/red-" + i + ".png"), solid(w, h, RED, i));
                write(root.resolve("green/green-" + i + (i == 1 ? ".jpg" : ".png")), solid(w, h, GREEN, 100 + i));
                write(root.resolve("blue/blue-" + i + ".png"), solid(w, h, BLUE, 200 + i));
                write(root.resolve("dark/dark-" + i + ".png"), gray(w, h, 20, 300 + i));
                write(root.resolve("bright/bright-" + i + ".png"), gray(w, h, 235, 400 + i));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        ImageIO.write(img, name.substring(name.lastIndexOf('.') + 1).replace("jpg", "jpeg"), file.toFile());
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
