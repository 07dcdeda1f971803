package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodingExperimentTest {
    @TempDir
    Path tempDir;

    /** The eight sentences of the course's tree, scored by hand from tree.json. */
    private static final Map<List<String>, Double> TREE_PATHS = new LinkedHashMap<>();

    static {
        TREE_PATHS.put(List.of("the", "red", "rectangle"), -1.5 - 3.1 - 4.5);
        TREE_PATHS.put(List.of("the", "red", "circle"), -1.5 - 3.1 - 5.6);
        TREE_PATHS.put(List.of("the", "blue", "square"), -1.5 - 3.4 - 5.5);
        TREE_PATHS.put(List.of("the", "blue", "circle"), -1.5 - 3.4 - 5.9);
        TREE_PATHS.put(List.of("a", "blue", "square"), -1.8 - 2.5 - 5.0);
        TREE_PATHS.put(List.of("a", "blue", "circle"), -1.8 - 2.5 - 5.3);
        TREE_PATHS.put(List.of("a", "red", "circle"), -1.8 - 2.7 - 4.9);
        TREE_PATHS.put(List.of("a", "red", "square"), -1.8 - 2.7 - 5.2);
    }

    private ExperimentResult run(Map<String, String> params) {
        return ExperimentTestKit.quick(new DecodingExperiment()).params(params).in(tempDir).run();
    }

    @Test
    @SuppressWarnings("unchecked")
    void answersTheCourseTree() {
        ExperimentResult r = run(Map.of());
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);

        // N = 7 distinct words (the, a, red, blue, rectangle, circle, square), T = 3.
        assertThat(r.answer("vocabularySize")).isEqualTo(7);
        assertThat(((Number) r.answer("sequenceCount")).doubleValue()).isEqualTo(343.0);

        assertThat(r.answer("greedy")).isEqualTo(List.of("the", "red", "rectangle"));
        assertThat((Double) r.answer("greedyLogLik")).isCloseTo(-9.1, within(1e-9));

        // Best of the hand-enumerated paths.
        List<String> best = TREE_PATHS.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<String, Object> exhaustiveBest = (Map<String, Object>) r.answer("exhaustiveBest");
        assertThat(exhaustiveBest.get("words")).isEqualTo(best);
        assertThat((Double) exhaustiveBest.get("logLik")).isCloseTo(TREE_PATHS.get(best), within(1e-9));

        // Beam B=2: step 1 keeps the/a; step 2 candidates the red -4.6, the blue -4.9, a blue -4.3, a red -4.5.
        List<Map<String, Object>> steps = (List<Map<String, Object>>) r.answer("beamSteps");
        assertThat(steps).hasSize(3);
        assertThat(words(steps.get(1).get("kept"))).containsExactly(List.of("a", "blue"), List.of("a", "red"));
        assertThat(words(steps.get(1).get("pruned"))).containsExactly(List.of("the", "red"), List.of("the", "blue"));
        List<Map<String, Object>> beams = (List<Map<String, Object>>) r.answer("beams");
        assertThat(words(beams)).containsExactly(List.of("a", "blue", "square"), List.of("a", "red", "circle"));
        assertThat((Double) beams.get(0).get("logLik")).isCloseTo(TREE_PATHS.get(List.of("a", "blue", "square")), within(1e-9));
        assertThat((Double) beams.get(1).get("logLik")).isCloseTo(TREE_PATHS.get(List.of("a", "red", "circle")), within(1e-9));
        assertThat(r.answer("beamFindsBest")).isEqualTo(false);
        assertThat((String) r.answer("beamComplexity")).contains("O(T*B*N");

        // Failure cases: with 2 words greedy keeps "the" (-1.5 > -1.8) and ends with "the red" although "a blue" is
        // better; with 3 words beam search prunes "the red" at step 2 and misses "the red rectangle", which greedy finds.
        List<Map<String, Object>> failures = (List<Map<String, Object>>) r.answer("failureCases");
        assertThat(failures).extracting(f -> f.get("search") + "@" + f.get("length")).containsExactly("greedy@2", "beam@3");
        Map<String, Object> greedy = (Map<String, Object>) r.answer("greedyFailure");
        assertThat(((Map<String, Object>) greedy.get("found")).get("words")).isEqualTo(List.of("the", "red"));
        assertThat((Double) ((Map<String, Object>) greedy.get("found")).get("logLik")).isCloseTo(-1.5 - 3.1, within(1e-9));
        assertThat(((Map<String, Object>) greedy.get("optimum")).get("words")).isEqualTo(List.of("a", "blue"));
        assertThat((Double) ((Map<String, Object>) greedy.get("optimum")).get("logLik")).isCloseTo(-1.8 - 2.5, within(1e-9));
        assertThat(greedy.get("lostAtStep")).isEqualTo(1);
        Map<String, Object> beam = (Map<String, Object>) r.answer("beamFailure");
        assertThat(beam.get("length")).isEqualTo(3);
        assertThat(((Map<String, Object>) beam.get("found")).get("words")).isEqualTo(List.of("a", "blue", "square"));
        assertThat(((Map<String, Object>) beam.get("optimum")).get("words")).isEqualTo(best);
        assertThat(beam.get("lostAtStep")).isEqualTo(2);
        // "the red" (-4.6) is third of the four candidates, behind a blue (-4.3) and a red (-4.5).
        assertThat((String) beam.get("why")).contains("'the red' (-4.6) ranked 3 of 4", "'a blue' (-4.3), 'a red' (-4.5)",
                "which greedy decoding finds");

        assertThat(r.metric("exhaustiveVsBruteForceResidual")).isLessThan(1e-9);
        assertThat(r.metric("wideBeamVsExhaustiveResidual")).isLessThan(1e-9);
        assertThat(r.metric("greedyVsBeam1Residual")).isLessThan(1e-9);
        assertThat(tempDir.resolve("theory.decoding").resolve(r.runId()).resolve("result.json")).exists();
    }

    @Test
    void readsAnotherTreeFromAParameter() throws Exception {
        Path tree = tempDir.resolve("tree.json");
        Files.writeString(tree, """
                {"bos": "<s>", "children": {
                  "x": {"logp": -0.1, "children": {"p": {"logp": -3.0}, "q": {"logp": -3.2}}},
                  "y": {"logp": -0.5, "children": {"z": {"logp": -0.05}}}}}""");
        ExperimentResult r = run(Map.of("tree", tree.toString(), "beamWidth", "2"));
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat(r.answer("greedy")).isEqualTo(List.of("x", "p"));
        assertThat(r.answer("beamFindsBest")).isEqualTo(true);
        assertThat(((Number) r.answer("sequenceCount")).doubleValue()).isEqualTo(25.0);
    }

    @Test
    void aMissingTreeFileFailsTheRun() {
        ExperimentResult r = run(Map.of("tree", tempDir.resolve("nope.json").toString()));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("nope.json");
    }

    /** A model given by a table: greedy is misled by a likely first word, beam B=2 is not; "y" may end early. */
    private static final LanguageModel TABLE = new LanguageModel() {
        @Override
        public List<String> vocabulary() {
            return List.of("a", "b", "c", "x", "y", "z");
        }

        @Override
        public Map<String, Double> nextLogProbs(List<String> prefix) {
            String key = String.join(" ", prefix);
            return switch (key) {
                case "" -> Map.of("x", Math.log(0.6), "y", Math.log(0.4));
                case "x" -> Map.of("a", Math.log(1 / 3.0), "b", Math.log(1 / 3.0), "c", Math.log(1 / 3.0));
                case "y" -> Map.of("z", Math.log(0.9));
                default -> Map.of();
            };
        }
    };

    @Test
    void genericSearchesOnATableModel() {
        Decoders.Hypothesis g = Decoders.greedy(TABLE, 5);
        assertThat(g.words()).containsExactly("x", "a");
        assertThat(g.logLik()).isCloseTo(Math.log(0.6 / 3), within(1e-12));
        assertThat(g.finished()).isTrue();

        Decoders.BeamResult b1 = Decoders.beam(TABLE, 1, 5);
        assertThat(b1.beams().get(0).words()).isEqualTo(g.words());

        Decoders.BeamResult b2 = Decoders.beam(TABLE, 2, 5);
        assertThat(b2.beams().get(0).words()).containsExactly("y", "z");
        assertThat(b2.beams().get(0).logLik()).isCloseTo(Math.log(0.36), within(1e-12));
        assertThat(b2.steps()).hasSize(2);
        assertThat(b2.steps().get(1).pruned()).hasSize(2);

        List<Decoders.Hypothesis> all = Decoders.exhaustive(TABLE, 5);
        assertThat(all).hasSize(4);
        double total = all.stream().mapToDouble(h -> Math.exp(h.logLik())).sum();
        assertThat(total).isCloseTo(0.6 + 0.36, within(1e-12));
        assertThat(all.get(0).words()).containsExactly("y", "z");

        // Truncated search: with one word allowed nothing is finished, and the best prefix is "x".
        assertThat(Decoders.exhaustive(TABLE, 1).get(0).words()).containsExactly("x");
        assertThat(Decoders.beam(TABLE, 3, 1).beams()).extracting(Decoders.Hypothesis::finished).containsOnly(false);
        assertThat(Decoders.logLikelihood(TABLE, List.of("y", "a"))).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> words(Object hypotheses) {
        return ((List<Map<String, Object>>) hypotheses).stream().map(m -> (List<String>) m.get("words")).toList();
    }
}
