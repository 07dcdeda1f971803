package dlx.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread that allocates and calls {@link System#gc()} without pause while a test runs beside it,
 * so that memory the JVM frees early (a Java direct buffer a native library still reads) is freed
 * at once rather than whenever the heap happens to fill: a run that reads freed memory then
 * differs from a quiet one.
 *
 * <pre>{@code
 * try (GcPressure ignored = GcPressure.start()) {
 *     noisy = kit.run();
 * }
 * }</pre>
 */
public final class GcPressure implements AutoCloseable {
    private final Thread thread;

    private GcPressure(Thread thread) {
        this.thread = thread;
    }

    public static GcPressure start() {
        Thread t = new Thread(() -> {
            List<byte[]> junk = new ArrayList<>();
            while (!Thread.currentThread().isInterrupted()) {
                junk.clear();
                for (int i = 0; i < 50; i++) {
                    junk.add(new byte[100_000]);
                }
                System.gc();
            }
        }, "dlx-gc-pressure");
        t.setDaemon(true);
        t.start();
        return new GcPressure(t);
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
