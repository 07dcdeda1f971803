package dlx.launcher.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.api.Device;
import dlx.api.Params;
import dlx.api.Profile;
import dlx.engine.ExperimentRunner;
import dlx.launcher.UsageException;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.run.Orchestrator;
import dlx.launcher.run.RunPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Catalog catalog = SweepFixtures.catalog();

    @TempDir
    Path dir;

    private SweepPlanner.Planned plan(SweepSpec spec) {
        return SweepPlanner.plan(catalog, spec, Profile.QUICK, dir.resolve("results"));
    }

    private static SweepSpec cli(List<String> ids, String... kv) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.put(kv[i], kv[i + 1]);
        }
        return SweepSpec.ofCommandLine(ids, params, null);
    }

    private SweepSpec yaml(String text) throws Exception {
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, text);
        return SweepSpec.read(file);
    }

    /** The id a run of demo.train with these values gets, computed the engine's way without the planner. */
    private static String trainRunId(Map<String, String> given) {
        SweepFixtures.Train t = new SweepFixtures.Train();
        return ExperimentRunner.runId(t, ExperimentRunner.validate(t.spec(), given, Profile.QUICK)).value();
    }

    @Test
    void aCommandLineGridPlansEveryCombinationWithTheEnginesRunIds() {
        SweepPlanner.Planned p = plan(cli(List.of("demo.train"), "learningRate", "0.1,0.01", "batchSize", "5,50,500"));
        assertThat(p.plan().runs()).hasSize(6);
        assertThat(p.plan().fit()).isNull();
        SweepPlan.Entry e3 = p.plan().runs().get(3);
        assertThat(e3.index()).isEqualTo(3);
        assertThat(e3.params()).containsEntry("learningRate", "0.01").containsEntry("batchSize", "5").containsEntry("profile", "quick");
        for (SweepPlan.Entry e : p.plan().runs()) {
            assertThat(e.runId()).isEqualTo(trainRunId(Map.of("learningRate", e.params().get("learningRate"),
                    "batchSize", e.params().get("batchSize"))));
        }
        assertThat(p.plan().runs().stream().map(SweepPlan.Entry::runId).distinct()).hasSize(6);
        // planning again gives the same sweep (its folder is found again)
        assertThat(plan(cli(List.of("demo.train"), "learningRate", "0.1,0.01", "batchSize", "5,50,500")).plan().id())
                .isEqualTo(p.plan().id());
    }

    @Test
    void aValueGoesToEachSelectedExperimentThatDeclaresIt() {
        SweepPlanner.Planned p = plan(cli(List.of("demo.train", "demo.other"), "learningRate", "0.1,0.2", "batchSize", "5"));
        assertThat(p.plan().runs().stream().map(SweepPlan.Entry::experiment))
                .containsExactly("demo.train", "demo.train", "demo.other", "demo.other");
        assertThat(p.plan().runs().get(2).params()).doesNotContainKey("batchSize");
        assertThatThrownBy(() -> plan(cli(List.of("demo.train", "demo.other"), "epochs", "5")))
                .hasMessageContaining("parameter 'epochs' is not declared by any selected experiment");
    }

    @Test
    void sameValueWrittenTwiceIsPlannedOnce() {
        SweepPlanner.Planned p = plan(cli(List.of("demo.train"), "learningRate", "0.1,0.10,0.1e0"));
        assertThat(p.plan().runs()).hasSize(1);
        assertThat(p.duplicatesDropped()).isEqualTo(2);
    }

    @Test
    void aSweepFileCombinesFixedValuesGridAxesAndSeeds() throws Exception {
        SweepPlanner.Planned p = plan(yaml("""
                name: lr-study
                experiment: demo.train
                profile: full
                params:
                  caption: "a cat, on a mat"
                grid:
                  learningRate: [0.1, 0.01]
                  dims: [[8, 16], [32]]
                seed: [1, 2, 3]
                """));
        List<SweepPlan.Entry> runs = p.plan().runs();
        assertThat(runs).hasSize(2 * 2 * 3);
        assertThat(p.plan().name()).isEqualTo("lr-study");
        assertThat(runs.get(0).params()).containsEntry("caption", "a cat, on a mat").containsEntry("learningRate", "0.1")
                .containsEntry("dims", "8,16").containsEntry("seed", "1").containsEntry("profile", "full");
        assertThat(runs.get(1).params()).containsEntry("seed", "2");
        assertThat(runs.get(3).params()).containsEntry("dims", "32").containsEntry("seed", "1");
        assertThat(runs.get(11).params()).containsEntry("learningRate", "0.01").containsEntry("dims", "32").containsEntry("seed", "3");
        assertThat(p.runs().get(0).params().intList("dims")).containsExactly(8, 16);
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\nparams: {dims: [4, 8]}\ngrid: {dims: [[8], [16]]}\n")))
                .hasMessageContaining("'dims' is both fixed and a grid axis");
    }

    @Test
    void randomSearchIsSeededReproducibleAndInsideItsDistributions() throws Exception {
        String text = """
                experiment: demo.train
                samples: 200
                samplerSeed: 7
                random:
                  learningRate: loguniform(1e-4, 1e-1)
                  batchSize: randint(1, 3)
                  model: choice(mlp, cnn)
                """;
        SweepPlanner.Planned a = plan(yaml(text));
        SweepPlanner.Planned b = plan(yaml(text));
        assertThat(a.plan().runs()).isEqualTo(b.plan().runs());
        assertThat(a.plan().id()).isEqualTo(b.plan().id());
        assertThat(plan(yaml(text.replace("samplerSeed: 7", "samplerSeed: 8"))).plan().id()).isNotEqualTo(a.plan().id());

        List<SweepPlan.Entry> runs = a.plan().runs();
        assertThat(runs).hasSize(200);
        double meanLog = 0;
        Set<String> batches = new HashSet<>();
        Set<String> models = new HashSet<>();
        for (SweepPlan.Entry e : runs) {
            double lr = Double.parseDouble(e.params().get("learningRate"));
            assertThat(lr).isBetween(1e-4, 1e-1);
            meanLog += Math.log(lr) / runs.size();
            batches.add(e.params().get("batchSize"));
            models.add(e.params().get("model"));
        }
        // uniform in log space: the mean of ln lr is the middle of [ln 1e-4, ln 1e-1] (sd of the mean: 6.9/sqrt(12*200) = 0.14)
        assertThat(meanLog).isCloseTo((Math.log(1e-4) + Math.log(1e-1)) / 2, org.assertj.core.data.Offset.offset(0.6));
        assertThat(batches).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(models).containsExactlyInAnyOrder("mlp", "cnn");
    }

    @Test
    void repeatedRandomDrawsArePlannedOnceAndIntegerRangesRound() throws Exception {
        SweepPlanner.Planned p = plan(yaml("""
                experiment: demo.train
                samples: 30
                random:
                  batchSize: uniform(1, 2)
                """));
        assertThat(p.plan().runs().stream().map(e -> e.params().get("batchSize"))).containsExactlyInAnyOrder("1", "2");
        assertThat(p.duplicatesDropped()).isEqualTo(28);
    }

    @Test
    void badInputGetsOneClearMessage() throws Exception {
        assertThatThrownBy(() -> plan(cli(List.of("demo.train"), "lr", "0.1,0.2"))).isInstanceOf(UsageException.class)
                .hasMessage("unknown parameter 'lr' for demo.train; its parameters are: profile, seed, learningRate, batchSize, dims, caption, model");
        assertThatThrownBy(() -> plan(cli(List.of("demo.train"), "batchSize", "5,x")))
                .hasMessageStartingWith("parameter 'batchSize' of demo.train: value 'x' is not allowed; expected an integer");
        assertThatThrownBy(() -> plan(cli(List.of("demo.train"), "learningRate", "0.1,5")))
                .hasMessageContaining("value '5' is not allowed");
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\ngrid:\n  learningRate: []\n")))
                .hasMessageContaining("grid axis 'learningRate' must be a non-empty list");
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\ngird:\n  learningRate: [0.1]\n")))
                .hasMessageContaining("unknown key 'gird'").hasMessageContaining("grid");
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\ngrid: [unclosed\n")))
                .hasMessageContaining("sweep.yaml is not valid YAML").hasMessageContaining("line");
        assertThatThrownBy(() -> plan(yaml("")))
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\nsamples: 3\nrandom:\n  learningRate: loguniform(0, 1)\n")))
                .hasMessageContaining("random.learningRate 'loguniform(0, 1)'").hasMessageContaining("value '0' is not allowed");
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\nsamples: 3\nrandom:\n  learningRate: uniform(0.5, 2)\n")))
                .hasMessageContaining("value '2' is not allowed");
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\nsamples: 3\nrandom:\n  learningRate: normal(0, 1)\n")))
                .hasMessageContaining("expected uniform(lo,hi), loguniform(lo,hi), randint(lo,hi) or choice(a,b,...)");
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\nrandom:\n  learningRate: uniform(0.1, 0.2)\n")))
                .hasMessageContaining("needs both 'random:' (distributions) and 'samples: N'");
        assertThatThrownBy(() -> plan(yaml("experiment: demo.train\nsamples: 3\nrandom:\n  caption: uniform(1, 2)\n")))
                .hasMessageContaining("only numbers can be drawn from a range");
        assertThatThrownBy(() -> SweepPlanner.load(dir.resolve("nothing.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void aFrozenPlanReadsBackAndRefusesOtherCode() throws Exception {
        SweepPlanner.Planned p = plan(cli(List.of("demo.train"), "learningRate", "0.1,0.01"));
        p.plan().freeze();
        SweepPlan read = SweepPlan.read(p.plan().folder());
        assertThat(read.runs()).isEqualTo(p.plan().runs());
        assertThat(read.id()).isEqualTo(p.plan().id());
        assertThat(SweepPlanner.load(p.plan().planFile()).frozen()).isNotNull();
        List<RunPlan.PlannedRun> runs = SweepPlanner.validateFrozen(catalog, read, List.of(1));
        assertThat(runs.get(0).params().decimal("learningRate")).isEqualTo(0.01);
        assertThatThrownBy(() -> read.entry(2)).hasMessageContaining("--index 2 is out of range: sweep " + read.id()
                + " has indices 0..1");

        String tampered = Files.readString(read.planFile()).replace(read.runs().get(0).runId(), "000000000000");
        Path other = dir.resolve("other-plan.json");
        Files.writeString(other, tampered);
        assertThatThrownBy(() -> SweepPlanner.validateFrozen(catalog, SweepPlan.read(other), List.of(0)))
                .hasMessageContaining("was planned as run 000000000000").hasMessageContaining("plan the sweep again");
    }

    @Test
    void thePlansRunIdsAreTheIdsTheRunsGet() throws Exception {
        Path results = dir.resolve("results");
        SweepPlanner.Planned p = plan(cli(List.of("demo.train", "demo.other"), "learningRate", "0.1,0.2"));
        SweepRequest.Resolved r = new SweepRequest.Resolved(p.plan(), results, false, p.runs(), 0);
        int exit = LocalSweep.inProcess(r, r.allIndices(), orchestrator(), Device.CPU, false, quiet(), quiet(),
                Orchestrator.Listener.NONE);
        assertThat(exit).isZero();
        for (SweepPlan.Entry e : p.plan().runs()) {
            JsonNode result = JSON.readTree(results.resolve(e.experiment()).resolve(e.runId()).resolve("result.json").toFile());
            assertThat(result.get("runId").asText()).isEqualTo(e.runId());
            assertThat(result.get("status").asText()).isEqualTo("ok");
            assertThat(result.get("params").get("learningRate").asDouble()).isEqualTo(Double.parseDouble(e.params().get("learningRate")));
        }
        assertThat(SweepStatus.of(p.plan(), results, Map.of())).allMatch(SweepStatus.IndexStatus::done);
    }

    @Test
    void aFannedOutStudyGivesTheFitOfTheStudyInOneProcess() throws Exception {
        Path results = dir.resolve("results");
        SweepSpec spec = SweepSpec.ofCommandLine(List.of("demo.study"), Map.of("xs", "1,2,3,4"),
                new SweepSpec.FanOut(new LinkedHashMap<>(Map.of("onlyX", "xs")), "fitFrom"))
                .withCommandLine(List.of(), Map.of(), null);
        SweepSpec both = new SweepSpec(null, List.of("demo.study"), null, Map.of("xs", "1,2,3,4"), Map.of(), Map.of(), List.of(),
                Map.of(), 0, 0, new SweepSpec.FanOut(orderedCells(), "fitFrom"), "test");
        SweepPlanner.Planned p = plan(both);
        assertThat(p.plan().runs()).hasSize(4 * 2);
        assertThat(p.plan().runs().get(1).params()).containsEntry("onlyX", "1").containsEntry("onlyScale", "2.0");
        assertThat(p.plan().fit().index()).isEqualTo(8);
        assertThat(p.plan().fit().params()).containsEntry("fitFrom", results.toString()).doesNotContainKey("onlyX");
        assertThat(plan(spec).plan().runs()).hasSize(4); // one selector: one cell per x, every scale in each

        SweepRequest.Resolved r = new SweepRequest.Resolved(p.plan(), results, false, p.runs(), 0);
        assertThat(LocalSweep.inProcess(r, r.allIndices(), orchestrator(), Device.CPU, false, quiet(), quiet(),
                Orchestrator.Listener.NONE)).isZero();
        JsonNode fanned = JSON.readTree(results.resolve("demo.study").resolve(p.plan().fit().runId()).resolve("result.json").toFile());

        // the same study in one process, elsewhere
        Path alone = dir.resolve("alone");
        Params params = ExperimentRunner.validate(new SweepFixtures.Study().spec(), Map.of("xs", "1,2,3,4"), Profile.QUICK);
        orchestrator().run(new RunPlan(List.of(new RunPlan.PlannedRun(catalog.select("demo.study").get(0), params))), alone,
                Device.CPU, false, quiet(), quiet());
        JsonNode whole = JSON.readTree(alone.resolve("demo.study/latest/result.json").toFile());

        assertThat(fanned.get("status").asText()).isEqualTo("ok");
        assertThat(fanned.get("answers").get("slope")).isEqualTo(whole.get("answers").get("slope"));
        // y = scale * x^2 + seed exactly: the fitted slopes are the scales
        assertThat(fanned.get("answers").get("slope").get("0.5").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(fanned.get("answers").get("slope").get("2.0").asDouble()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(fanned.get("metrics").get("cellsFitted{scale=2.0}").asDouble()).isEqualTo(4);
    }

    @Test
    void aFanOutNeedsListsToSplitAndAPathForTheFit() {
        assertThatThrownBy(() -> plan(fanOut(Map.of("onlyX", "onlyScale"), "fitFrom")))
                .hasMessageContaining("fanOut.cells.onlyX must name a list parameter; 'onlyScale' of demo.study is a number");
        assertThatThrownBy(() -> plan(fanOut(Map.of("onlyX", "xs"), "onlyScale")))
                .hasMessageContaining("'onlyScale', which is not a path parameter");
        assertThatThrownBy(() -> plan(fanOut(Map.of("onlyX", "nothing"), "fitFrom")))
                .hasMessageContaining("names 'nothing', which demo.study does not declare");
        assertThatThrownBy(() -> SweepPlanner.plan(catalog, new SweepSpec(null, List.of("demo.study"), null, Map.of("onlyX", "2"),
                Map.of(), Map.of(), List.of(), Map.of(), 0, 0, new SweepSpec.FanOut(Map.of("onlyX", "xs"), "fitFrom"), "test"),
                Profile.QUICK, dir)).hasMessageContaining("'onlyX' is set by fanOut for each run");
    }

    private static SweepSpec fanOut(Map<String, String> cells, String fit) {
        return new SweepSpec(null, List.of("demo.study"), null, Map.of(), Map.of(), Map.of(), List.of(), Map.of(), 0, 0,
                new SweepSpec.FanOut(cells, fit), "test");
    }

    private static Map<String, String> orderedCells() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("onlyX", "xs");
        m.put("onlyScale", "scales");
        return m;
    }

    private static Orchestrator orchestrator() {
        return SweepFixtures.injector().getInstance(Orchestrator.class);
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }
}
