package dlx.launcher.cli;

import dlx.engine.ExperimentResult;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;
import dlx.launcher.records.Flat;
import dlx.launcher.records.RunQuery;
import dlx.launcher.records.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Puts runs side by side: parameters, metrics, answers, the final values of their series, and the",
                "environment entries that differ. Rows whose values differ are marked with *."})
final class CompareCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Parameters(arity = "2..*", paramLabel = "RUN", description = "run ids (unique prefixes), <experiment>/<run id> or experiment ids")
    List<String> refs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<RunRecord> all = RunIndex.scan(results.dir);
        List<RunRecord> runs = new ArrayList<>();
        List<ExperimentResult> full = new ArrayList<>();
        for (String ref : refs) {
            RunRecord r = RunQuery.one(all, results.dir, ref);
            runs.add(r);
            full.add(ResultStore.fromJson(ResultStore.json().readTree(r.dir().resolve("result.json").toFile())));
        }
        List<String> header = new ArrayList<>(List.of("", "key"));
        runs.forEach(r -> header.add(r.experiment() + "/" + r.runId()));
        TextTable table = new TextTable(header);
        rows(table, "status", full, r -> Map.of("", r.status().id()), false);
        rows(table, "params", full, r -> Flat.of("", r.params()), false);
        rows(table, "metrics", full, r -> Flat.of("", r.metrics()), false);
        rows(table, "answers", full, r -> Flat.of("", r.answers()), false);
        Map<ExperimentResult, RunRecord> byResult = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            byResult.put(full.get(i), runs.get(i));
        }
        rows(table, "series", full, r -> Flat.of("", byResult.get(r).seriesFinal()), false);
        rows(table, "environment", full, r -> Flat.of("", withoutTimes(r.environment())), true);
        table.printAligned(out);
        return 0;
    }

    private static Map<String, Object> withoutTimes(Map<String, Object> env) {
        Map<String, Object> m = new LinkedHashMap<>(env);
        m.remove("startedUtc");
        m.remove("endedUtc");
        return m;
    }

    /** One row per key of any run; {@code onlyDifferences} leaves out rows that are the same everywhere. */
    private static void rows(TextTable table, String section, List<ExperimentResult> runs,
                             Function<ExperimentResult, Map<String, String>> values, boolean onlyDifferences) {
        List<Map<String, String>> maps = runs.stream().map(values).toList();
        Set<String> keys = new LinkedHashSet<>();
        maps.forEach(m -> keys.addAll(m.keySet()));
        for (String k : keys) {
            Set<String> distinct = new LinkedHashSet<>();
            maps.forEach(m -> distinct.add(Objects.toString(m.get(k), "")));
            boolean differs = distinct.size() > 1;
            if (onlyDifferences && !differs) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(differs ? "*" : "", k.isEmpty() ? section : section + "." + k));
            maps.forEach(m -> row.add(Objects.toString(m.get(k), "-")));
            table.add(row);
        }
    }
}
