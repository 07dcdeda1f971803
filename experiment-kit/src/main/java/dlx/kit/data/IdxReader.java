package dlx.kit.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX format (MNIST, Fashion-MNIST), gzipped or not. Validates the magic number,
 * element type, dimensions and length; every error names the file and what is wrong.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() { }

    /** An IDX tensor of unsigned bytes: its dimensions and the values in row-major order. */
    public record IdxData(Path file, int[] dims, byte[] values) {
        public int count() {
            return dims[0];
        }

        /** Product of the dimensions after the first (784 for 28x28 images, 1 for labels). */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) {
                s *= dims[i];
            }
            return s;
        }

        public int unsigned(int index) {
            return values[index] & 0xFF;
        }
    }

    /** Reads a whole file, expecting {@code expectedDims} dimensions (e.g. 3 for images, 1 for labels). */
    public static IdxData read(Path file, int expectedDims) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        try (InputStream raw = open(file); DataInputStream in = new DataInputStream(raw)) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new IOException(file + ": truncated: shorter than the 4-byte IDX header");
            }
            if ((magic >>> 16) != 0) {
                throw new IOException(String.format("%s: not an IDX file (magic number 0x%08X; expected 0x0000%02X%02X)",
                        file, magic, UNSIGNED_BYTE, expectedDims));
            }
            int type = (magic >>> 8) & 0xFF;
            int nDims = magic & 0xFF;
            if (type != UNSIGNED_BYTE) {
                throw new IOException(String.format("%s: element type 0x%02X is not supported (expected 0x08, unsigned byte)", file, type));
            }
            if (nDims != expectedDims) {
                throw new IOException(file + ": has " + nDims + " dimensions, expected " + expectedDims);
            }
            int[] dims = new int[nDims];
            long total = 1;
            for (int i = 0; i < nDims; i++) {
                try {
                    dims[i] = in.readInt();
                } catch (EOFException e) {
                    throw new IOException(file + ": truncated inside the header (dimension " + i + " missing)");
                }
                if (dims[i] <= 0) {
                    throw new IOException(file + ": dimension " + i + " is " + dims[i] + ", expected a positive size");
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + total + " values are too many for one array");
            }
            byte[] values = new byte[(int) total];
            int read = in.readNBytes(values, 0, values.length);
            if (read != values.length) {
                throw new IOException(file + ": truncated: the header promises " + total + " values but the file holds " + read);
            }
            if (in.read() != -1) {
                throw new IOException(file + ": has data after the " + total + " values its header declares");
            }
            return new IdxData(file, dims, values);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": corrupt gzip data: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated gzip stream", e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), 2);
        int b1 = in.read();
        int b2 = in.read();
        if (b2 >= 0) {
            in.unread(b2);
        }
        if (b1 >= 0) {
            in.unread(b1);
        }
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        return gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }
}
