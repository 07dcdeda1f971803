package dlx.launcher.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dlx.api.ExperimentSpec;
import dlx.api.ParamException;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Params;
import dlx.api.Profile;
import dlx.engine.ExperimentRunner;
import dlx.launcher.UsageException;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.run.RunPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Turns a {@link SweepSpec} into a {@link SweepPlan}: selects the experiments, expands grid,
 * random draws and seeds, validates every run's parameters against the experiments' specs before
 * anything starts, and computes each run's id exactly as the run engine will. A value goes to
 * each selected experiment that declares it; one that none declares is an error. Configurations
 * that turn out to be the same run (e.g. {@code 0.1} and {@code 0.10}, or a repeated random draw)
 * are planned once.
 *
 * <p>A study that an experiment lets fan out ({@link SweepSpec.FanOut}) is planned as cells and a
 * fit: the experiment declares selector parameters that make a run train one part of its grid
 * (e.g. {@code nmt.isoflop}'s {@code onlyDim} of {@code dims} and {@code onlyBudget} of
 * {@code budgets}) and a path parameter that makes a run train nothing and fit from the results of
 * those parts found in a results folder ({@code fitFrom}). The cells are the array; the fit,
 * the last index, runs after all of them ({@code --dependency=afterok} on Slurm).
 */
public final class SweepPlanner {
    private SweepPlanner() { }

    /** A plan and its runs, validated, in index order (the fit last). */
    public record Planned(SweepPlan plan, List<RunPlan.PlannedRun> runs, int duplicatesDropped) {
        public RunPlan runPlan() {
            return new RunPlan(runs);
        }
    }

    /** What a {@code --sweep} file holds: a sweep to plan or an already frozen plan. */
    public record Loaded(SweepSpec spec, SweepPlan frozen) { }

    /** Reads {@code --sweep FILE}: a sweep file (YAML) or a frozen {@code plan.json} (or its folder). */
    public static Loaded load(Path file) {
        if (Files.isDirectory(file)) {
            return new Loaded(null, SweepPlan.read(file));
        }
        try {
            String text = Files.readString(file);
            JsonNode root = SweepSpec.YAML.readTree(text);
            return SweepPlan.isPlan(root) ? new Loaded(null, SweepPlan.fromJson(root, file)) : new Loaded(SweepSpec.read(file), null);
        } catch (NoSuchFileException e) {
            throw new UsageException("sweep file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            return new Loaded(SweepSpec.read(file), null); // reports the YAML error with its position
        } catch (IOException e) {
            throw new UsageException("cannot read sweep file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Plans a sweep into {@code results} (absolute).
     * @throws UsageException for an unknown id or parameter, a bad value or distribution, an empty axis
     */
    public static Planned plan(Catalog catalog, SweepSpec spec, Profile defaultProfile, Path results) {
        Profile profile = spec.profile() == null ? defaultProfile : usage(() -> Profile.parse(spec.profile()));
        Set<Catalog.Entry> selected = new LinkedHashSet<>();
        if (spec.experiments().isEmpty()) {
            throw new UsageException("name the experiments of the sweep: an id, a glob such as 'theory.*', or --sweep FILE");
        }
        for (String selector : spec.experiments()) {
            selected.addAll(catalog.select(selector, false));
        }
        checkEveryKeyIsDeclared(spec, selected);
        if (spec.fanOut() != null) {
            return fanOut(spec, selected, profile, results);
        }
        List<RunPlan.PlannedRun> runs = new ArrayList<>();
        List<SweepPlan.Entry> entries = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int duplicates = 0;
        for (Catalog.Entry e : selected) {
            ExperimentSpec es = e.experiment().spec();
            for (Map<String, String> given : configurations(spec, es, selected.size() == 1)) {
                Params params = validate(es, given, profile);
                String runId = ExperimentRunner.runId(e.experiment(), params).value();
                if (!seen.add(es.id() + "/" + runId)) {
                    duplicates++;
                    continue;
                }
                entries.add(new SweepPlan.Entry(entries.size(), es.id(), runId, withProfile(given, params)));
                runs.add(new RunPlan.PlannedRun(e, params));
            }
        }
        String id = SweepPlan.idOf(entries, null);
        return new Planned(new SweepPlan(id, spec.name(), results, spec.source(), entries, null), runs, duplicates);
    }

    /** Every configuration of one experiment: grid points × random draws × seeds, raw text by name. */
    static List<Map<String, String>> configurations(SweepSpec spec, ExperimentSpec es, boolean only) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        spec.params().forEach((k, v) -> {
            if (only || es.param(k).isPresent()) {
                axes.put(k, List.of(v));
            }
        });
        Map<String, String> cli = new LinkedHashMap<>();
        spec.cliParams().forEach((k, v) -> {
            if (only || es.param(k).isPresent()) {
                cli.put(k, v);
            }
        });
        axes.putAll(Grid.axes(es, cli));
        spec.grid().forEach((k, v) -> {
            if (only || es.param(k).isPresent()) {
                axes.put(k, v);
            }
        });
        List<Map<String, String>> points = Grid.combinations(axes);
        List<Map<String, String>> draws = draws(spec, es, only);
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> point : points) {
            for (Map<String, String> draw : draws) {
                List<String> seeds = spec.seeds().isEmpty() ? List.of("") : spec.seeds();
                for (String seed : seeds) {
                    Map<String, String> given = new LinkedHashMap<>(point);
                    given.putAll(draw);
                    if (!seed.isEmpty()) {
                        given.put(ExperimentSpec.SEED, seed);
                    }
                    out.add(given);
                }
            }
        }
        return out;
    }

    /**
     * The random draws for one experiment: {@code samples} maps, drawn with a generator seeded by
     * {@code samplerSeed} (java.util.Random: the same sequence on every JVM), parameters in the
     * order the file gives them. One empty draw when the sweep has no random search.
     */
    static List<Map<String, String>> draws(SweepSpec spec, ExperimentSpec es, boolean only) {
        Map<String, Distribution> dists = new LinkedHashMap<>();
        spec.random().forEach((k, text) -> {
            if (only || es.param(k).isPresent()) {
                ParamSpec p = es.param(k).orElseThrow(() -> unknown(k, es));
                dists.put(k, Distribution.parse(es.id(), p, text));
            }
        });
        if (dists.isEmpty()) {
            return List.of(Map.of());
        }
        Random random = new Random(spec.samplerSeed());
        List<Map<String, String>> out = new ArrayList<>();
        for (int s = 0; s < spec.samples(); s++) {
            Map<String, String> draw = new LinkedHashMap<>();
            dists.forEach((k, d) -> draw.put(k, d.draw(random)));
            out.add(draw);
        }
        return out;
    }

    /**
     * A study split into cells and a fit: every combination of the selectors (each takes the
     * elements of its list parameter as resolved for the run: given, or the profile's default),
     * then the fit with the results folder in its path parameter. Cells and fit share every other
     * value, so the fit can tell the cells of its configuration from other runs in that folder.
     */
    private static Planned fanOut(SweepSpec spec, Set<Catalog.Entry> selected, Profile profile, Path results) {
        if (selected.size() != 1) {
            throw new UsageException("fanOut splits one study; the sweep selects " + selected.size() + " experiments");
        }
        if (!spec.grid().isEmpty() || !spec.random().isEmpty() || !spec.seeds().isEmpty()) {
            throw new UsageException("fanOut cannot be combined with grid axes, random search or a list of seeds");
        }
        Catalog.Entry e = selected.iterator().next();
        ExperimentSpec es = e.experiment().spec();
        SweepSpec.FanOut fan = spec.fanOut();
        List<Map<String, String>> base = configurations(spec, es, true);
        if (base.size() != 1) {
            throw new UsageException("fanOut takes single values; the runs of " + es.id() + " are split by its cells alone");
        }
        Map<String, String> fixed = base.get(0);
        Set<String> reserved = new LinkedHashSet<>(fan.cells().keySet());
        reserved.add(fan.fit());
        for (String r : reserved) {
            param(es, r, "fanOut");
            if (fixed.containsKey(r)) {
                throw new UsageException("'" + r + "' is set by fanOut for each run; do not give it");
            }
        }
        if (param(es, fan.fit(), "fanOut.fit").type() != ParamType.PATH) {
            throw new UsageException("fanOut.fit names '" + fan.fit() + "', which is not a path parameter of " + es.id()
                    + ": the fit receives the results folder there");
        }
        Params resolved = validate(es, fixed, profile);
        Map<String, List<String>> axes = new LinkedHashMap<>();
        fan.cells().forEach((selector, list) -> {
            ParamSpec p = param(es, list, "fanOut.cells." + selector);
            if (!Grid.isList(p.type())) {
                throw new UsageException("fanOut.cells." + selector + " must name a list parameter; '" + list + "' of "
                        + es.id() + " is " + p.allowed());
            }
            axes.put(selector, ((Collection<?>) resolved.asMap().get(list)).stream().map(String::valueOf).toList());
        });
        List<RunPlan.PlannedRun> runs = new ArrayList<>();
        List<SweepPlan.Entry> entries = new ArrayList<>();
        for (Map<String, String> cell : Grid.combinations(axes)) {
            Map<String, String> given = new LinkedHashMap<>(fixed);
            given.putAll(cell);
            Params params = validate(es, given, profile);
            entries.add(new SweepPlan.Entry(entries.size(), es.id(), ExperimentRunner.runId(e.experiment(), params).value(),
                    withProfile(given, params)));
            runs.add(new RunPlan.PlannedRun(e, params));
        }
        Map<String, String> fitGiven = new LinkedHashMap<>(fixed);
        fitGiven.put(fan.fit(), results.toString());
        Params fitParams = validate(es, fitGiven, profile);
        String fitRunId = ExperimentRunner.runId(e.experiment(), fitParams).value();
        SweepPlan.Entry fit = new SweepPlan.Entry(entries.size(), es.id(), fitRunId, withProfile(fitGiven, fitParams));
        runs.add(new RunPlan.PlannedRun(e, fitParams));
        String id = SweepPlan.idOf(entries, es.id() + " " + fitRunId);
        return new Planned(new SweepPlan(id, spec.name(), results, spec.source(), entries, fit), runs, 0);
    }

    private static ParamSpec param(ExperimentSpec es, String name, String where) {
        return es.param(name).orElseThrow(() -> new UsageException(where + " names '" + name + "', which " + es.id()
                + " does not declare; its parameters are: " + String.join(", ", es.params().keySet())));
    }

    /**
     * The validated runs of a frozen plan (or of one of its indices), each run id checked against
     * the plan's: a different id means other code than was planned.
     */
    public static List<RunPlan.PlannedRun> validateFrozen(Catalog catalog, SweepPlan plan, List<Integer> indices) {
        List<RunPlan.PlannedRun> runs = new ArrayList<>();
        for (int i : indices) {
            SweepPlan.Entry entry = plan.entry(i);
            Catalog.Entry e = catalog.select(entry.experiment(), false).get(0);
            Params params = validate(e.experiment().spec(), entry.params(), Profile.FULL);
            String runId = ExperimentRunner.runId(e.experiment(), params).value();
            if (!runId.equals(entry.runId())) {
                throw new UsageException("index " + i + " of sweep " + plan.id() + " was planned as run " + entry.runId()
                        + " of " + entry.experiment() + " but is run " + runId + " with the code installed here: the plugin or"
                        + " kit jar changed since the plan was made; plan the sweep again");
            }
            runs.add(new RunPlan.PlannedRun(e, params));
        }
        return runs;
    }

    private static void checkEveryKeyIsDeclared(SweepSpec spec, Set<Catalog.Entry> selected) {
        Set<String> keys = new LinkedHashSet<>();
        keys.addAll(spec.params().keySet());
        keys.addAll(spec.cliParams().keySet());
        keys.addAll(spec.grid().keySet());
        keys.addAll(spec.random().keySet());
        if (!spec.seeds().isEmpty()) {
            keys.add(ExperimentSpec.SEED);
        }
        for (String k : keys) {
            if (selected.stream().noneMatch(e -> e.experiment().spec().param(k).isPresent())) {
                throw selected.size() == 1 ? unknown(k, selected.iterator().next().experiment().spec())
                        : new UsageException("parameter '" + k + "' is not declared by any selected experiment; "
                        + "'dlx describe <id>' lists parameters");
            }
        }
    }

    private static UsageException unknown(String k, ExperimentSpec es) {
        return new UsageException("unknown parameter '" + k + "' for " + es.id() + "; its parameters are: "
                + String.join(", ", es.params().keySet()));
    }

    private static Params validate(ExperimentSpec es, Map<String, String> given, Profile profile) {
        try {
            return ExperimentRunner.validate(es, given, profile);
        } catch (ParamException ex) {
            throw new UsageException(ex.getMessage());
        }
    }

    /** The given values plus the resolved profile, so that a task needs no --profile. */
    private static Map<String, String> withProfile(Map<String, String> given, Params params) {
        Map<String, String> out = new LinkedHashMap<>(given);
        out.put(ExperimentSpec.PROFILE, params.profile().id());
        return out;
    }

    private static <T> T usage(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
