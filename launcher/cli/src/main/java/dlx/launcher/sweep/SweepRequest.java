package dlx.launcher.sweep;

import dlx.api.Profile;
import dlx.launcher.UsageException;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.run.RunPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a command asks to sweep: a sweep file or a frozen plan ({@code --sweep}), or ids with
 * {@code --param} grids and an optional fan-out, into a results folder. {@code profileGiven} and
 * {@code outGiven} say whether {@code --profile} and {@code --out} were typed: the sweep file's
 * profile and a frozen plan's results folder apply otherwise.
 */
public record SweepRequest(Path sweepFile, List<String> selectors, List<String> params, SweepSpec.FanOut fanOut,
                           Profile profile, boolean profileGiven, Path out, boolean outGiven) {

    /**
     * A plan, frozen in its folder, and its runs validated in index order (a frozen plan's checked
     * against the code installed here: run ids must match).
     */
    public record Resolved(SweepPlan plan, Path results, boolean wasFrozen, List<RunPlan.PlannedRun> planned,
                           int duplicatesDropped) {
        /** The validated runs of these indices. */
        public List<RunPlan.PlannedRun> runs(List<Integer> indices) {
            List<RunPlan.PlannedRun> out = new ArrayList<>();
            indices.forEach(i -> out.add(planned.get(plan.entry(i).index())));
            return out;
        }

        public List<Integer> allIndices() {
            return IntStream.range(0, plan.size()).boxed().toList();
        }
    }

    /**
     * Plans (or reads the frozen plan), validates every run and freezes the plan in
     * {@code <results>/sweeps/<id>/plan.json}.
     * @throws UsageException for anything wrong in the input; nothing has run or been written then
     */
    public Resolved resolve(Catalog catalog) {
        Path results = out.toAbsolutePath().normalize();
        if (Files.exists(results) && !Files.isDirectory(results)) {
            throw new UsageException("--out " + out + " is a file, not a folder");
        }
        Resolved r;
        if (sweepFile != null) {
            SweepPlanner.Loaded loaded = SweepPlanner.load(sweepFile);
            if (loaded.frozen() != null) {
                if (!selectors.isEmpty() || !params.isEmpty() || fanOut != null) {
                    throw new UsageException(sweepFile + " is a frozen plan: give no ids, --param, --cell or --fit with it");
                }
                SweepPlan plan = loaded.frozen();
                Path where = outGiven ? results : plan.results();
                // every index is checked before anything starts
                return new Resolved(plan, where, true, SweepPlanner.validateFrozen(catalog, plan,
                        IntStream.range(0, plan.size()).boxed().toList()), 0);
            }
            SweepSpec spec = loaded.spec().withCommandLine(selectors, RunPlan.parseParams(params), fanOut);
            r = planned(catalog, profileGiven ? spec.withProfile(null) : spec, results);
        } else {
            r = planned(catalog, SweepSpec.ofCommandLine(selectors, RunPlan.parseParams(params), fanOut), results);
        }
        try {
            r.plan().freeze();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + r.plan().planFile() + ": " + e.getMessage(), e);
        }
        return r;
    }

    private Resolved planned(Catalog catalog, SweepSpec spec, Path results) {
        SweepPlanner.Planned p = SweepPlanner.plan(catalog, spec, profile, results);
        if (p.plan().size() == 0) {
            throw new UsageException("the sweep plans no runs");
        }
        return new Resolved(p.plan(), results, false, p.runs(), p.duplicatesDropped());
    }
}
