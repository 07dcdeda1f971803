package dlx.engine.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A run's {@code run.log}: its log lines and everything it (or a library it calls) printed to
 * standard output and error while it ran. Runs go one at a time per process, so replacing
 * {@code System.out}/{@code System.err} by tees for the run's duration captures exactly its output.
 */
public final class RunLog implements AutoCloseable {
    public static final String FILE = "run.log";
    private final OutputStream file;
    private final PrintStream originalOut;
    private final PrintStream originalErr;

    private RunLog(OutputStream file) {
        this.file = file;
        this.originalOut = System.out;
        this.originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut, file), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, file), true, StandardCharsets.UTF_8));
    }

    /** Starts capturing into {@code dir/run.log} (appending: a resumed run keeps its earlier attempt's lines). */
    public static RunLog open(Path dir) {
        try {
            Files.createDirectories(dir);
            return new RunLog(Files.newOutputStream(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir.resolve(FILE), e);
        }
    }

    /** A log line: into the file only (the caller shows it on the terminal). */
    public synchronized void line(String text) {
        try {
            file.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            file.flush();
        } catch (IOException ignored) {
            // the terminal still has it
        }
    }

    @Override
    public synchronized void close() {
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }

    /** Writes to the terminal stream and the log file. */
    private static final class Tee extends OutputStream {
        private final OutputStream terminal;
        private final OutputStream file;

        Tee(OutputStream terminal, OutputStream file) {
            this.terminal = terminal;
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            terminal.write(b);
            synchronized (file) {
                file.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            terminal.write(b, off, len);
            synchronized (file) {
                file.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            terminal.flush();
            file.flush();
        }
    }
}
