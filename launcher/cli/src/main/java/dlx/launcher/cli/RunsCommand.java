package dlx.launcher.cli;

import dlx.engine.store.ResultStore;
import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;
import dlx.launcher.UsageException;
import dlx.launcher.records.RunQuery;
import dlx.launcher.records.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"Lists the runs in a results folder: experiment, run id, status, start, duration, device, the",
                "parameters that differ between the listed runs, and chosen columns. Corrupt or partial entries are listed, marked."})
final class RunsCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Parameters(arity = "0..*", paramLabel = "ID|GLOB", description = "experiment ids or globs, or run id prefixes (default: all)")
    List<String> selectors = new ArrayList<>();

    @Option(names = "--status", split = ",", paramLabel = "STATUS", description = "only runs with these statuses (ok, failed, skipped, corrupt, ...)")
    List<String> status = new ArrayList<>();

    @Option(names = "--where", paramLabel = "PATH=VALUE", description = "only runs whose value equals, e.g. params.epochs=10 (repeatable)")
    List<String> where = new ArrayList<>();

    @Option(names = "--since", paramLabel = "DATE", description = "only runs started on or after this UTC date (2026-12-01) or instant")
    String since;

    @Option(names = "--sort", paramLabel = "[-]PATH", description = "sort by a value, e.g. metrics.testAccuracy ('-' first: descending)")
    String sort;

    @Option(names = "--columns", split = ",", paramLabel = "PATH", description = "extra columns: params.x, metrics.x, answers.x, series.x (last value)")
    List<String> columns = new ArrayList<>();

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table", description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new UsageException("--format must be table, csv or json, got '" + format + "'");
        }
        String from = since == null ? null : RunQuery.since(since);
        List<RunRecord> runs = new ArrayList<>();
        for (RunRecord r : RunQuery.select(RunIndex.scan(results.dir), selectors)) {
            if ((status.isEmpty() || status.contains(r.status()))
                    && where.stream().allMatch(w -> RunQuery.where(r, w))
                    && (from == null || (r.started() != null && r.started().compareTo(from) >= 0))) {
                runs.add(r);
            }
        }
        if (sort != null) {
            boolean desc = sort.startsWith("-");
            String path = desc ? sort.substring(1) : sort;
            Comparator<RunRecord> byValue = Comparator.comparing(r -> r.value(path), RunsCommand::compareValues);
            runs.sort(desc ? byValue.reversed() : byValue);
        }
        List<String> cols = new ArrayList<>(List.of("experiment", "runId", "status", "started", "duration", "device"));
        cols.addAll(varyingParams(runs));
        columns.stream().filter(c -> !cols.contains(c)).forEach(cols::add);
        if (format.equals("json")) {
            var array = ResultStore.json().createArrayNode();
            for (RunRecord r : runs) {
                var node = array.addObject();
                cols.forEach(c -> node.set(c, ResultStore.json().valueToTree(r.value(c))));
                node.put("path", r.dir().toString());
                if (r.problem() != null) {
                    node.put("problem", r.problem());
                }
            }
            out.println(ResultStore.json().writeValueAsString(array));
            out.flush();
            return 0;
        }
        List<String> header = new ArrayList<>(cols);
        header.add("note");
        TextTable table = new TextTable(header);
        for (RunRecord r : runs) {
            List<String> row = new ArrayList<>();
            cols.forEach(c -> row.add(TextTable.format(r.value(c))));
            row.add(r.problem() != null ? r.problem() : r.error() == null ? "" : r.error().lines().findFirst().orElse(""));
            table.add(row);
        }
        if (format.equals("csv")) {
            table.printCsv(out);
        } else {
            table.printAligned(out);
            out.println(runs.size() + " run(s) in " + results.dir);
            out.flush();
        }
        return 0;
    }

    /** {@code params.<name>} of every parameter whose value differs between the listed runs. */
    static List<String> varyingParams(List<RunRecord> runs) {
        Set<String> names = new LinkedHashSet<>();
        runs.stream().filter(RunRecord::ok).forEach(r -> names.addAll(r.params().keySet()));
        List<String> out = new ArrayList<>();
        for (String n : names) {
            Set<String> values = new LinkedHashSet<>();
            runs.stream().filter(RunRecord::ok).forEach(r -> values.add(Objects.toString(r.params().get(n))));
            if (values.size() > 1) {
                out.add("params." + n);
            }
        }
        return out;
    }

    /** Numbers numerically, then text; absent values last. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return a.toString().compareTo(b.toString());
    }
}
