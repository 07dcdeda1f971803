package dlx.launcher.worker;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a worker's standard error to the launcher's, byte for byte as it comes (progress bars
 * redraw with carriage returns), less the JVM's "Using incubator modules" line that every worker
 * start would print again (the launcher printed it once).
 */
final class StandardError {
    private static final String INCUBATOR = "WARNING: Using incubator modules";

    private StandardError() { }

    static void pump(Process process) {
        Thread t = new Thread(() -> copy(process.getErrorStream(), new FileOutputStream(FileDescriptor.err)),
                "dlx-worker-stderr-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    private static void copy(InputStream in, OutputStream out) {
        try (in) {
            StringBuilder first = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n' && first.length() < 200) {
                first.append((char) b);
            }
            if (!first.toString().startsWith(INCUBATOR)) {
                out.write(first.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                if (b != -1) {
                    out.write(b);
                }
            }
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // the worker or our stderr is gone
        }
    }
}
