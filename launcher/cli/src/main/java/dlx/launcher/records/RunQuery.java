package dlx.launcher.records;

import dlx.engine.store.RunFolder;
import dlx.engine.store.RunRecord;
import dlx.launcher.UsageException;
import dlx.launcher.catalog.Catalog;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds runs in a results folder: by id prefix, experiment id or glob, and by filters. */
public final class RunQuery {
    private RunQuery() { }

    /**
     * The one run {@code ref} names: a run id or a unique prefix of one, {@code <experiment>/<run id>},
     * or an experiment id (its latest run).
     * @throws UsageException (exit 2) naming the close matches when none or several match
     */
    public static RunRecord one(List<RunRecord> all, Path root, String ref) {
        List<RunRecord> runs = all.stream().filter(RunRecord::ok).toList();
        String prefix = ref.contains("/") ? ref.substring(ref.indexOf('/') + 1) : ref;
        String experiment = ref.contains("/") ? ref.substring(0, ref.indexOf('/')) : null;
        List<RunRecord> matches = runs.stream().filter(r -> r.runId().startsWith(prefix)
                && (experiment == null || r.experiment().equals(experiment))).toList();
        if (matches.isEmpty() && experiment == null) {
            Optional<String> latest = RunFolder.latest(root.resolve(ref));
            matches = runs.stream().filter(r -> r.experiment().equals(ref) && latest.map(r.runId()::equals).orElse(false)).toList();
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            List<String> close = runs.stream()
                    .sorted(Comparator.comparingInt(r -> Math.min(Catalog.distance(prefix, r.runId().substring(0,
                            Math.min(r.runId().length(), prefix.length()))), Catalog.distance(ref, r.experiment()))))
                    .limit(3).map(r -> r.runId() + " (" + r.experiment() + ")").toList();
            throw new UsageException("no run '" + ref + "' in " + root + (close.isEmpty() ? "" : "; close: " + String.join(", ", close))
                    + "; 'dlx runs' lists them");
        }
        throw new UsageException("'" + ref + "' is ambiguous in " + root + ": it matches "
                + String.join(", ", matches.stream().limit(5).map(r -> r.runId() + " (" + r.experiment() + ")").toList())
                + (matches.size() > 5 ? " and " + (matches.size() - 5) + " more" : "") + "; give more of the run id");
    }

    /** Runs whose experiment or run id matches one of {@code selectors} (ids, prefixes, globs); all when empty. */
    public static List<RunRecord> select(List<RunRecord> all, List<String> selectors) {
        if (selectors.isEmpty()) {
            return all;
        }
        List<RunRecord> out = new ArrayList<>();
        for (RunRecord r : all) {
            for (String s : selectors) {
                Pattern glob = Catalog.glob(s);
                if (glob.matcher(r.experiment()).matches() || r.runId().startsWith(s)) {
                    out.add(r);
                    break;
                }
            }
        }
        return out;
    }

    /** {@code --where params.epochs=10}: the value's text equals (numbers compared as numbers). */
    public static boolean where(RunRecord r, String condition) {
        int eq = condition.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("--where '" + condition + "' must be PATH=VALUE, e.g. params.epochs=10");
        }
        Object v = r.value(condition.substring(0, eq).trim());
        String want = condition.substring(eq + 1).trim();
        if (v == null) {
            return false;
        }
        if (v instanceof Number n) {
            try {
                return n.doubleValue() == Double.parseDouble(want);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return Objects.toString(v).equals(want);
    }

    /** {@code --since 2026-12-01} (a UTC date) or a full instant. */
    public static String since(String text) {
        try {
            return LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString();
        } catch (DateTimeParseException e) {
            try {
                return java.time.Instant.parse(text).toString();
            } catch (DateTimeParseException e2) {
                throw new UsageException("--since '" + text + "' must be a date such as 2026-12-01 or an instant such as 2026-12-01T10:00:00Z");
            }
        }
    }
}
