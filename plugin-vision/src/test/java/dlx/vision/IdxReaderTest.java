package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dlx.api.DataLocations;
import dlx.kit.data.FashionMnist;
import dlx.kit.data.IdxReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader and the Fashion-MNIST loader on files this test writes: good ones and corrupt ones. */
class IdxReaderTest {
    @TempDir
    Path dir;

    /** No configured data folder, a cache in the test's folder: only the explicit folder counts. */
    private DataLocations noDataLocations() {
        return new DataLocations() {
            @Override
            public Optional<Path> userDataDir() {
                return Optional.empty();
            }

            @Override
            public Path cacheDir() {
                return dir.resolve("cache");
            }
        };
    }

    /** An IDX file of unsigned bytes: magic 0x0000 08 nDims, the dimensions, then the values. */
    static byte[] idx(int magic, int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(values);
        }
        return bytes.toByteArray();
    }

    static byte[] images(int n) throws IOException {
        byte[] px = new byte[n * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 256);
        }
        return idx(0x0803, new int[] {n, 28, 28}, px);
    }

    static byte[] labels(int n) throws IOException {
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) {
            lb[i] = (byte) (i % 10);
        }
        return idx(0x0801, new int[] {n}, lb);
    }

    static void write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
    }

    @Test
    void readsPlainAndGzippedFiles() throws IOException {
        Path plain = dir.resolve("imgs");
        Path gz = dir.resolve("imgs.gz");
        write(plain, images(3), false);
        write(gz, images(3), true);
        IdxReader.IdxData a = IdxReader.read(plain, 3);
        IdxReader.IdxData b = IdxReader.read(gz, 3);
        assertThat(a.dims()).containsExactly(3, 28, 28);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.itemSize()).isEqualTo(784);
        assertThat(a.unsigned(255)).isEqualTo(255);
        assertThat(b.values()).isEqualTo(a.values());
    }

    @Test
    void loadsASplitScaledToUnitRange() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), images(5), true);
        write(dir.resolve("train-labels-idx1-ubyte"), labels(5), false);
        write(dir.resolve("t10k-images-idx3-ubyte"), images(2), false);
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels(2), true);
        Path found = FashionMnist.locate(Optional.of(dir), noDataLocations());
        FashionMnist.Split train = FashionMnist.readTrain(found);
        assertThat(train.count()).isEqualTo(5);
        assertThat(train.labels()).containsExactly(0, 1, 2, 3, 4);
        assertThat(train.images()[255]).isEqualTo(1f);
        assertThat(train.images()[1]).isEqualTo(1f / 255f);
        float min = 1;
        float max = 0;
        for (float v : train.images()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isGreaterThanOrEqualTo(0f);
        assertThat(max).isLessThanOrEqualTo(1f);
        assertThat(FashionMnist.readTest(found).count()).isEqualTo(2);
    }

    @Test
    void rejectsATruncatedFileNamingIt() throws IOException {
        byte[] full = images(4);
        Path f = dir.resolve("truncated-idx3");
        write(f, Arrays.copyOf(full, full.length - 100), false);
        assertThatThrownBy(() -> IdxReader.read(f, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("truncated");
        Path g = dir.resolve("truncated-idx3.gz");
        write(g, Arrays.copyOf(full, full.length - 100), true);
        assertThatThrownBy(() -> IdxReader.read(g, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining(g.toString()).hasMessageContaining("truncated");
        Path h = dir.resolve("header-only");
        write(h, Arrays.copyOf(full, 6), false);
        assertThatThrownBy(() -> IdxReader.read(h, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining(h.toString()).hasMessageContaining("truncated");
    }

    @Test
    void rejectsABadMagicNumber() throws IOException {
        Path f = dir.resolve("bad-magic");
        write(f, idx(0x12340803, new int[] {1, 28, 28}, new byte[784]), false);
        assertThatThrownBy(() -> IdxReader.read(f, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("magic");
        Path g = dir.resolve("wrong-type");
        write(g, idx(0x0D03, new int[] {1, 28, 28}, new byte[784]), false);
        assertThatThrownBy(() -> IdxReader.read(g, 3)).hasMessageContaining(g.toString()).hasMessageContaining("type");
        Path h = dir.resolve("labels-as-images");
        write(h, labels(3), false);
        assertThatThrownBy(() -> IdxReader.read(h, 3)).hasMessageContaining(h.toString()).hasMessageContaining("dimensions");
    }

    @Test
    void rejectsWrongCounts() throws IOException {
        // Header promises 3 images, the file holds 4: trailing data.
        byte[] px = new byte[4 * 784];
        Path f = dir.resolve("too-long");
        write(f, idx(0x0803, new int[] {3, 28, 28}, px), false);
        assertThatThrownBy(() -> IdxReader.read(f, 3)).hasMessageContaining(f.toString()).hasMessageContaining("after");
        // Image and label files that disagree on the count.
        write(dir.resolve("train-images-idx3-ubyte"), images(5), false);
        write(dir.resolve("train-labels-idx1-ubyte"), labels(4), false);
        assertThatThrownBy(() -> FashionMnist.readTrain(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("5 images").hasMessageContaining("4 labels");
        // A label outside 0..9.
        write(dir.resolve("train-labels-idx1-ubyte"), idx(0x0801, new int[] {5}, new byte[] {0, 1, 12, 3, 4}), false);
        assertThatThrownBy(() -> FashionMnist.readTrain(dir)).hasMessageContaining("label 12");
    }

    @Test
    void aDataDirWithoutTheFilesIsAnError() {
        assertThatThrownBy(() -> FashionMnist.locate(Optional.of(dir), noDataLocations()))
                .isInstanceOf(IOException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("train-images-idx3-ubyte");
    }
}
