package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsoFlopExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    @SuppressWarnings("unchecked")
    void quickLadderRunsFitsAndPlots() {
        ExperimentResult r = ExperimentTestKit.quick(new IsoFlopExperiment()).param("budgets", "2.5e8,5e8").in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        Map<String, Double> opt = (Map<String, Double>) r.answer("optimalParamsPerBudget");
        assertThat(opt).containsOnlyKeys("2.50e+08", "5.00e+08");
        Map<String, Number> byDim = (Map<String, Number>) r.answer("parametersByDim");
        assertThat(byDim).containsOnlyKeys("8", "12", "16", "24", "32", "48");
        double smallest = byDim.get("8").doubleValue();
        assertThat(opt.values()).allMatch(n -> n >= smallest * 0.999);
        for (String key : List.of("nOptAt1e15", "tokensOptAt1e15", "nOptExponent", "tokensOptExponent")) {
            assertThat(((Number) r.answer(key)).doubleValue()).isFinite();
        }
        // D_opt = C / (6 N_opt) makes the two exponents sum to one.
        assertThat(((Number) r.answer("nOptExponent")).doubleValue() + ((Number) r.answer("tokensOptExponent")).doubleValue())
                .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        // One point per size and budget, at the size's parameter count.
        List<double[]> budget1 = r.series("lossByParams", Labels.of("budget", "2.50e+08"));
        assertThat(budget1).extracting(p -> p[0]).containsExactlyElementsOf(
                byDim.values().stream().map(Number::doubleValue).toList());
        assertThat(r.series("lossByParams", Labels.of("budget", "5.00e+08"))).hasSize(6);
        assertThat(r.artifacts()).contains("isoflop-curves.png", "n-opt-vs-flops.png", "tokens-opt-vs-flops.png");
    }
}
