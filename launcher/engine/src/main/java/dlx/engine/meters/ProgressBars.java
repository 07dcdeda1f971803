package dlx.engine.meters;

import dlx.api.Progress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Progress of long tasks: a bar on the terminal when there is one (redrawn at most every 100 ms,
 * quiet when output is not a TTY) and always the gauge {@code dlx_progress_ratio{experiment,task}}.
 */
public final class ProgressBars {
    private final MeterRegistry registry;
    private final PrintStream terminal;

    private ProgressBars(MeterRegistry registry, PrintStream terminal) {
        this.registry = registry;
        this.terminal = terminal;
    }

    /** Bars on {@code System.err} if the process has a console, else meters only. */
    public static ProgressBars forConsole(MeterRegistry registry) {
        return new ProgressBars(registry, System.console() != null ? System.err : null);
    }

    public static ProgressBars none(MeterRegistry registry) {
        return new ProgressBars(registry, null);
    }

    /** A bar labelled {@code <experiment> <task>}; its gauge carries the run's tags and {@code task}. */
    public Progress open(String experimentId, Tags runTags, String task, long total) {
        return new Bar(experimentId, runTags, task, Math.max(1, total));
    }

    private final class Bar implements Progress {
        private final String label;
        private final long total;
        private final AtomicLong done = new AtomicLong();
        private final AtomicReference<String> status = new AtomicReference<>("");
        private final long started = System.nanoTime();
        private final Gauge gauge;
        private long lastDraw;

        Bar(String experimentId, Tags runTags, String task, long total) {
            this.label = experimentId + " " + task;
            this.total = total;
            this.gauge = Gauge.builder("dlx.progress.ratio", done, d -> Math.min(1.0, d.get() / (double) total))
                    .tags(runTags.and("task", task))
                    .description("fraction of the task done")
                    .strongReference(true)
                    .register(registry);
        }

        @Override
        public void advance(long units) {
            done.addAndGet(units);
            draw(false);
        }

        @Override
        public void status(String text) {
            status.set(text);
            draw(false);
        }

        @Override
        public void close() {
            done.set(Math.max(done.get(), total));
            draw(true);
            if (terminal != null) {
                terminal.println();
            }
            // The gauge stays at 1.0 so that a late scrape still sees the task finished.
        }

        private synchronized void draw(boolean force) {
            if (terminal == null) {
                return;
            }
            long now = System.nanoTime();
            if (!force && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            double ratio = Math.min(1.0, done.get() / (double) total);
            int width = 30;
            int filled = (int) Math.round(ratio * width);
            double elapsed = (now - started) / 1e9;
            String eta = ratio > 0 && ratio < 1 ? String.format(" eta %.0fs", elapsed * (1 - ratio) / ratio) : "";
            terminal.print(String.format("\r%-40.40s [%s%s] %3.0f%% %d/%d %.0fs%s %s\u001b[K", label,
                    "#".repeat(filled), " ".repeat(width - filled), ratio * 100, done.get(), total, elapsed, eta, status.get()));
            terminal.flush();
        }
    }
}
