package dlx.launcher.run;

import dlx.api.ParamException;
import dlx.api.Params;
import dlx.api.Profile;
import dlx.engine.ExperimentRunner;
import dlx.launcher.UsageException;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.sweep.Grid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs of one command, every one validated before the first starts: the selected
 * experiments with their resolved parameters. A {@code --param} goes to each selected experiment
 * that declares it; one that none declares is an error. A {@code --param} with several values is
 * a grid: every combination is a run ({@link Grid}).
 */
public record RunPlan(List<PlannedRun> runs) {

    /** One experiment and its validated parameters. */
    public record PlannedRun(Catalog.Entry entry, Params params) { }

    public RunPlan {
        runs = List.copyOf(runs);
    }

    /** @throws UsageException for an unknown id, parameter or value; nothing has run then */
    public static RunPlan of(Catalog catalog, List<String> selectors, List<String> params, Profile defaultProfile,
                             boolean benchmarks) {
        List<String> chosen = selectors.isEmpty() && benchmarks ? List.of("all") : selectors;
        if (chosen.isEmpty()) {
            throw new UsageException("name the experiments to run: an id, a glob such as 'theory.*', or 'all'");
        }
        Set<Catalog.Entry> selected = new LinkedHashSet<>();
        for (String selector : chosen) {
            selected.addAll(catalog.select(selector, benchmarks));
        }
        Map<String, String> raw = parseParams(params);
        Set<String> used = new LinkedHashSet<>();
        List<PlannedRun> runs = new ArrayList<>();
        for (Catalog.Entry e : selected) {
            Map<String, String> mine = new LinkedHashMap<>();
            raw.forEach((k, v) -> {
                if (selected.size() == 1 || e.experiment().spec().param(k).isPresent()) {
                    mine.put(k, v);
                    used.add(k);
                }
            });
            try {
                // issue 14: a --param with several values is a grid axis (dlx.launcher.sweep.Grid)
                for (Map<String, String> point : Grid.expand(e.experiment().spec(), mine)) {
                    runs.add(new PlannedRun(e, ExperimentRunner.validate(e.experiment().spec(), point, defaultProfile)));
                }
            } catch (ParamException ex) {
                throw new UsageException(ex.getMessage());
            }
        }
        for (String k : raw.keySet()) {
            if (!used.contains(k)) {
                throw new UsageException("parameter '" + k + "' is not declared by any selected experiment; "
                        + "'dlx describe <id>' lists parameters");
            }
        }
        return new RunPlan(runs);
    }

    /** {@code KEY=VALUE} strings by key; a malformed or repeated one is a usage error. */
    public static Map<String, String> parseParams(List<String> params) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--param '" + p + "' must be KEY=VALUE");
            }
            String key = p.substring(0, eq).trim();
            if (raw.put(key, p.substring(eq + 1)) != null) {
                throw new UsageException("parameter '" + key + "' is given twice");
            }
        }
        return raw;
    }
}
