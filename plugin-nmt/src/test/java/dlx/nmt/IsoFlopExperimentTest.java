package dlx.nmt;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(new IsoFlopExperiment(), "nmt", Map.of("profile", "quick", "budgets", "2.5e8,5e8"), Profile.QUICK);
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        Map<String, Double> opt = (Map<String, Double>) r.answer("optimalParamsPerBudget");
        assertThat(opt).hasSize(2);
        Map<String, Long> byDim = (Map<String, Long>) (Map<?, ?>) r.answer("parametersByDim");
        assertThat(byDim).hasSize(6);
        double smallest = ((Number) byDim.values().iterator().next()).doubleValue();
        assertThat(opt.values()).allMatch(n -> n >= smallest * 0.999);
        for (String key : List.of("nOptAt1e15", "tokensOptAt1e15", "nOptExponent", "tokensOptExponent")) {
            assertThat(((Number) r.answer(key)).doubleValue()).isFinite();
        }
        // D_opt = C / (6 N_opt) makes the two exponents sum to one.
        assertThat(((Number) r.answer("nOptExponent")).doubleValue() + ((Number) r.answer("tokensOptExponent")).doubleValue())
                .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(r.series()).containsKeys("budget1LossByParams", "budget2LossByParams");
        assertThat(r.artifacts()).contains("isoflop-curves.png", "n-opt-vs-flops.png", "tokens-opt-vs-flops.png");
    }
}
