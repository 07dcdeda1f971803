package dlx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dlx.engine.ExperimentResult;
import dlx.engine.store.ResultStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Compares two runs' numbers bit for bit: every series point, metric and answer, as
 * {@code result.json} holds them (so a result read back from another process compares like one
 * from this process). Keys that measure time or speed ({@code durationSeconds}, {@code msPerStep},
 * {@code tokensPerSecond}, ...) differ by nature and are left out.
 */
public final class SameNumbers {
    private static final Pattern TIMING = Pattern.compile("(?i).*(seconds|persecond|msper|throughput|timed).*");
    /** True for a key that measures time or speed. */
    public static final Predicate<String> TIMING_KEY = k -> TIMING.matcher(k).matches();

    private SameNumbers() { }

    /** Throws an {@link AssertionError} naming the first differences when the two runs' numbers are not the same bits. */
    public static void assertSame(ExperimentResult expected, ExperimentResult actual) {
        List<String> diff = differences(expected, actual);
        if (!diff.isEmpty()) {
            throw new AssertionError(expected.experiment() + ": " + diff.size() + " numbers differ between two runs of the "
                    + "same configuration, e.g. " + String.join("; ", diff.subList(0, Math.min(8, diff.size()))));
        }
    }

    /**
     * Runs {@code kit}'s experiment twice in this JVM, in {@code dir/a} and then in {@code dir/b} beside a
     * thread that forces garbage collections (which exposes native buffers freed while libtorch still
     * uses them); requires both to finish ok with the same bits and something compared, and returns
     * the first result.
     */
    public static ExperimentResult repeatsUnderGcPressure(java.util.function.Supplier<ExperimentTestKit> kit,
                                                          java.nio.file.Path dir) {
        ExperimentResult quiet = kit.get().in(dir.resolve("a")).run();
        requireOk(quiet);
        ExperimentResult noisy;
        try (GcPressure ignored = GcPressure.start()) {
            noisy = kit.get().in(dir.resolve("b")).run();
        }
        requireOk(noisy);
        if (comparedSeriesPoints(quiet) == 0 && quiet.metrics().keySet().stream().allMatch(TIMING_KEY)) {
            throw new AssertionError(quiet.experiment() + " recorded no number but times: comparing its runs proves nothing");
        }
        assertSame(quiet, noisy);
        return quiet;
    }

    private static void requireOk(ExperimentResult r) {
        if (r.status() != dlx.engine.Status.OK) {
            throw new AssertionError(r.experiment() + " did not finish ok: " + r.status() + " " + r.error());
        }
    }

    /** Each difference as {@code path: a vs b}; empty when every compared number has the same bits. */
    public static List<String> differences(ExperimentResult a, ExperimentResult b) {
        List<String> out = new ArrayList<>();
        if (a.status() != b.status()) {
            out.add("status: " + a.status() + " vs " + b.status());
        }
        JsonNode ja = ResultStore.toJson(a);
        JsonNode jb = ResultStore.toJson(b);
        for (String section : List.of("series", "metrics", "answers")) {
            compare(section, ja.path(section), jb.path(section), out);
        }
        return out;
    }

    /** How many series points a comparison covers (a run that recorded nothing proves nothing). */
    public static int comparedSeriesPoints(ExperimentResult r) {
        int n = 0;
        for (Map.Entry<String, List<double[]>> e : r.series().entrySet()) {
            if (!TIMING_KEY.test(e.getKey())) {
                n += e.getValue().size();
            }
        }
        return n;
    }

    private static void compare(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (!TIMING_KEY.test(k)) {
                    compare(path + "." + k, a.path(k), b.path(k), out);
                }
            }
        } else if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                out.add(path + ": " + a.size() + " vs " + b.size() + " entries");
                return;
            }
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            for (int i = 0; ia.hasNext(); i++) {
                compare(path + "[" + i + "]", ia.next(), ib.next(), out);
            }
        } else if (a.isNumber() && b.isNumber()) {
            if (Double.doubleToLongBits(a.asDouble()) != Double.doubleToLongBits(b.asDouble())) {
                out.add(path + ": " + a.asDouble() + " vs " + b.asDouble());
            }
        } else if (!a.equals(b)) {
            out.add(path + ": " + a + " vs " + b);
        }
    }
}
