package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dlx.api.Labels;
import dlx.api.Params;
import dlx.api.Profile;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.nmt.data.PigLatinData;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsoFlopExperimentTest {
    @TempDir
    Path tempDir;

    /** Parameters of the translator by hand: per block 2 layer norms (4d), Q K V O (4d² + d), MLP (8d² + 5d). */
    static long decoderOnlyParameters(int d, int layers) {
        int v = PigLatinData.VOCAB;
        return layers * (12L * d * d + 10L * d) + (long) v * d + 2L * d + (long) d * v + v;
    }

    @Test
    @SuppressWarnings("unchecked")
    void quickStudyTrainsEveryCellOfTheTranslatorAtItsBudgetAndReportsWhatItCannotFit() throws Exception {
        ExperimentResult r = ExperimentTestKit.quick(new IsoFlopExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        Map<String, Number> byDim = (Map<String, Number>) r.answer("parametersByDim");
        assertThat(byDim).containsOnlyKeys("8", "16", "32");
        for (String dim : byDim.keySet()) {
            assertThat(byDim.get(dim).longValue()).isEqualTo(decoderOnlyParameters(Integer.parseInt(dim), 1));
        }
        // Each budget sets the steps: round(C / (6 N tokens per step)); the FLOPs are those of the tokens trained.
        double tokensPerStep = new PigLatinData(WordList.top(WordList.SMALL), 42)
                .expectedPerBatch(64, PigLatinData.Layout.DECODER_ONLY::tokens);
        List<Map<String, Number>> cells = (List<Map<String, Number>>) r.answer("cells");
        assertThat(cells).hasSize(6);
        for (Map<String, Number> c : cells) {
            double n = c.get("parameters").doubleValue();
            double budget = c.get("budget").doubleValue();
            assertThat(c.get("steps").longValue()).isEqualTo(Math.round(budget / (6 * n * tokensPerStep)));
            assertThat(c.get("flops").doubleValue()).isEqualTo(6 * n * c.get("tokens").doubleValue());
            assertThat(c.get("flops").doubleValue()).isCloseTo(budget, within(budget * 0.25));
            Labels cell = Labels.of("budget", String.format("%.2e", budget), "dim", c.get("dim").toString());
            assertThat(r.metric("finalValLoss", cell)).isEqualTo(c.get("valLoss").doubleValue());
        }
        // §3.3.1: one loss-vs-FLOPs line per size, one point per budget.
        assertThat(r.series("valLossByFlops", Labels.of("dim", "16"))).hasSize(2);
        // Every budget either has a compute-optimal size or is named in fitWarnings: nothing is clamped.
        Map<String, Double> opt = (Map<String, Double>) r.answers().getOrDefault("optimalParamsPerBudget", Map.of());
        List<String> warnings = (List<String>) r.answer("fitWarnings");
        List<String> all = new ArrayList<>(opt.keySet());
        all.addAll(warnings);
        assertThat(all).containsExactlyInAnyOrder("1.00e+09", "2.00e+09");
        assertThat(((Map<String, String>) r.answer("fitWarningDetails")).keySet()).containsExactlyElementsOf(warnings);
        double smallest = byDim.get("8").doubleValue();
        double largest = byDim.get("32").doubleValue();
        assertThat(opt.values()).allMatch(v -> v >= smallest && v <= largest);
        assertThat(r.answers().containsKey("nOptExponent")).isEqualTo(opt.size() >= 2);
        // largerAlwaysBetter from the data: at every budget the loss falls with every step up in size.
        boolean monotone = true;
        for (int i = 1; i < cells.size(); i++) {
            if (cells.get(i).get("budget").equals(cells.get(i - 1).get("budget"))) {
                monotone &= cells.get(i).get("valLoss").doubleValue() < cells.get(i - 1).get("valLoss").doubleValue();
            }
        }
        assertThat(r.answer("largerAlwaysBetter")).isEqualTo(monotone);
        assertThat(r.artifacts()).contains("isoflop-curves.png", "loss-vs-flops.png");
    }

    /**
     * The grid fanned out as a cluster would run it (one budget in one run, the other budget's cells one run
     * each) and fitted from those results gives exactly the answers of the study run in one process.
     */
    @Test
    void cellsRunApartAndFittedFromTheirResultsGiveTheFitOfOneProcess() {
        Map<String, Object> grid = Map.of("budgets", "5e8,1e9");
        ExperimentResult whole = ExperimentTestKit.quick(new IsoFlopExperiment()).params(grid).in(tempDir.resolve("one"))
                .run();
        assertThat(whole.status()).as(whole.error()).isEqualTo(Status.OK);

        Path cells = tempDir.resolve("cells");
        ExperimentResult part = ExperimentTestKit.quick(new IsoFlopExperiment()).params(grid).param("onlyBudget", "5e8")
                .in(cells).run();
        assertThat(part.status()).as(part.error()).isEqualTo(Status.OK);
        assertThat(part.answers()).containsOnlyKeys("cells", "parametersByDim");
        for (int dim : List.of(8, 16, 32)) {
            ExperimentResult one = ExperimentTestKit.quick(new IsoFlopExperiment()).params(grid).param("onlyBudget", "1e9")
                    .param("onlyDim", dim).in(cells).run();
            assertThat(one.status()).as(one.error()).isEqualTo(Status.OK);
            assertThat((List<?>) one.answer("cells")).hasSize(1);
            assertThat(one.metric("flops", Labels.of("budget", "1.00e+09", "dim", Integer.toString(dim)))).isPositive();
        }
        // Another seed's cell in the same folder is not mixed in.
        assertThat(ExperimentTestKit.quick(new IsoFlopExperiment()).params(grid).param("onlyBudget", "1e9")
                .param("onlyDim", 8).param("seed", 7).in(cells).run().status()).isEqualTo(Status.OK);

        ExperimentResult fitted = ExperimentTestKit.quick(new IsoFlopExperiment()).params(grid)
                .param("fitFrom", cells.toString()).in(cells).run();
        assertThat(fitted.status()).as(fitted.error()).isEqualTo(Status.OK);
        assertThat(fitted.answers()).isEqualTo(whole.answers());
        assertThat(fitted.series("lossByParams", Labels.of("budget", "1.00e+09")))
                .usingRecursiveComparison().isEqualTo(whole.series("lossByParams", Labels.of("budget", "1.00e+09")));
    }

    @Test
    void fitFromNamesTheMissingCellsAndTheFolderItExpects() throws Exception {
        ExperimentResult empty = ExperimentTestKit.quick(new IsoFlopExperiment()).param("fitFrom", tempDir.toString())
                .in(tempDir.resolve("out")).run();
        assertThat(empty.status()).isEqualTo(Status.FAILED);
        assertThat(empty.error()).contains("fitFrom: " + tempDir + " holds no folder nmt.isoflop");

        Path results = tempDir.resolve("synthetic");
        writeCells(results, Map.of(), List.of(cell(1e9, 8, 1391, 2.0)));
        ExperimentResult missing = ExperimentTestKit.quick(new IsoFlopExperiment()).param("fitFrom", results.toString())
                .in(tempDir.resolve("out")).run();
        assertThat(missing.status()).isEqualTo(Status.FAILED);
        assertThat(missing.error()).contains("5 of 6 cells have no ok result of this configuration",
                "16@1.00e+09, 32@1.00e+09, 8@2.00e+09, 16@2.00e+09, 32@2.00e+09", "--param onlyDim=<width> --param onlyBudget=<budget>");

        ExperimentResult notInGrid = ExperimentTestKit.quick(new IsoFlopExperiment()).param("onlyDim", 12)
                .in(tempDir.resolve("out")).run();
        assertThat(notInGrid.status()).isEqualTo(Status.FAILED);
        assertThat(notInGrid.error()).contains("onlyDim=12 is not one of dims [8, 16, 32]");
    }

    /**
     * Synthetic cells with a known law: N_opt(C) = k·C^0.5 with N_opt(1e9) = 3000, loss = 2 + 0.2 (ln N − ln N_opt)².
     * The fit recovers it exactly, and §3.3.4 compares the nmt.decoder-only configuration (width 64, 6000 steps of
     * the study's batches; one layer in the quick profile) with N_opt at its own budget.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theLawFittedFromCellsJudgesTheDecoderOnlyConfigurationAtItsBudget() throws Exception {
        double k = 3000 / Math.sqrt(1e9);
        long[] sizes = {1391, 4287, 14687};
        int[] dims = {8, 16, 32};
        List<Map<String, Object>> cells = new ArrayList<>();
        for (double c : new double[] {1e9, 2e9}) {
            for (int i = 0; i < 3; i++) {
                cells.add(cell(c, dims[i], sizes[i], 2 + 0.2 * Math.pow(Math.log(sizes[i]) - Math.log(k * Math.sqrt(c)), 2)));
            }
        }
        Path results = tempDir.resolve("synthetic");
        writeCells(results, Map.of("onlyBudget", 1e9), cells);
        ExperimentResult r = ExperimentTestKit.quick(new IsoFlopExperiment()).param("fitFrom", results.toString())
                .in(tempDir.resolve("out")).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        assertThat((List<String>) r.answer("fitWarnings")).isEmpty();
        assertThat(((Number) r.answer("nOptExponent")).doubleValue()).isCloseTo(0.5, within(1e-9));
        assertThat(((Number) r.answer("tokensOptExponent")).doubleValue()).isCloseTo(0.5, within(1e-9));
        Map<String, Double> opt = (Map<String, Double>) r.answer("optimalParamsPerBudget");
        assertThat(opt.get("1.00e+09")).isCloseTo(3000, within(1e-6));
        assertThat(r.answer("largerAlwaysBetter")).isEqualTo(false);

        long n = decoderOnlyParameters(64, 1);
        double tokens = 6000 * new PigLatinData(WordList.top(WordList.SMALL), 42)
                .expectedPerBatch(64, PigLatinData.Layout.DECODER_ONLY::tokens);
        double flops = 6 * n * tokens;
        assertThat(((Number) r.answer("setupParams")).longValue()).isEqualTo(n);
        assertThat(((Number) r.answer("setupFlops")).doubleValue()).isCloseTo(flops, within(flops * 1e-12));
        double nOpt = k * Math.sqrt(flops);
        assertThat(((Number) r.answer("optimalParamsAtSetupFlops")).doubleValue()).isCloseTo(nOpt, within(nOpt * 1e-9));
        // N = 53,919 against N_opt ≈ 1.4e5: more than a factor 2 too small.
        assertThat(n * 2).isLessThan((long) nOpt);
        assertThat(r.answer("setupComputeOptimal")).isEqualTo(false);
        assertThat((String) r.answer("setupAdvice")).startsWith("too small for its budget: at the same");

        ExperimentResult lenient = ExperimentTestKit.quick(new IsoFlopExperiment()).param("fitFrom", results.toString())
                .param("optimalFactor", 3).in(tempDir.resolve("out")).run();
        assertThat(lenient.status()).as(lenient.error()).isEqualTo(Status.OK);
        assertThat(lenient.answer("setupComputeOptimal")).isEqualTo(true);
        assertThat((String) lenient.answer("setupAdvice")).startsWith("keep it");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCharacterModelStaysASecondConfiguration() {
        ExperimentResult r = ExperimentTestKit.quick(new IsoFlopExperiment()).param("corpus", "shakespeare")
                .param("budgets", "2.5e8").param("batchSize", 16).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        for (Map<String, Number> c : (List<Map<String, Number>>) r.answer("cells")) {
            // Windows of 32 characters, 16 per batch: 512 tokens every step.
            assertThat(c.get("tokens").longValue()).isEqualTo(512 * c.get("steps").longValue());
        }
        assertThat(r.answers()).doesNotContainKey("setupFlops");
    }

    private static Map<String, Object> cell(double budget, int dim, long parameters, double loss) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("budget", budget);
        c.put("dim", dim);
        c.put("parameters", parameters);
        c.put("steps", 10);
        c.put("tokens", Math.round(budget / (6.0 * parameters)));
        c.put("flops", budget);
        c.put("valLoss", loss);
        return c;
    }

    /** A result.json as a cell run of the quick configuration would write it (with {@code part} choosing its part). */
    private static void writeCells(Path results, Map<String, Object> part, List<Map<String, Object>> cells) throws Exception {
        Params params = Params.resolve(new IsoFlopExperiment().spec(), Map.of(), Profile.QUICK);
        Map<String, Object> p = new HashMap<>(params.asMap());
        p.putAll(part);
        Map<String, Object> result = Map.of("experiment", "nmt.isoflop", "status", "ok", "params", p,
                "answers", Map.of("cells", cells));
        Path folder = Files.createDirectories(results.resolve("nmt.isoflop").resolve("abc123"));
        new ObjectMapper().writeValue(folder.resolve("result.json").toFile(), result);
    }
}
