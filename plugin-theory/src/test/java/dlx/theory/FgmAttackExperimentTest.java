package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FgmAttackExperimentTest {

    @TempDir
    Path tempDir;

    @Test
    void attackedValueIsFMinusEpsilonTimesSquaredNorm() {
        ExperimentResult r = ExperimentTestKit.quick(new FgmAttackExperiment())
                .params(Map.of("w", "1,-2,0.5", "x", "2,0.5,1", "b", "0.25", "epsilon", "0.1"))
                .in(tempDir)
                .run();
        assertThat(r.status()).isEqualTo(Status.OK);

        // x′ = x − 0.1·w = (1.9, 0.7, 0.95); f(x′) = 1.9 − 1.4 + 0.475 + 0.25.
        double expected = 1 * 1.9 + (-2) * 0.7 + 0.5 * 0.95 + 0.25;
        assertThat((Double) r.answer("exampleFAttacked")).isCloseTo(expected, within(1e-12));
        assertThat((Double) r.answer("exampleFAttackedDirect")).isCloseTo(expected, within(1e-9));
        assertThat((Double) r.answer("exampleF")).isCloseTo(2 - 1 + 0.5 + 0.25, within(1e-12));
        assertThat((Double) r.answer("exampleWNormSquared")).isCloseTo(5.25, within(1e-12));
        assertThat((Double) r.answer("exampleEpsilonToZero")).isCloseTo(1.75 / 5.25, within(1e-12));
        assertThat((String) r.answer("formula")).contains("ε‖w‖₂²");
        assertThat(r.metric("directEvaluationRelResidual")).isLessThan(1e-8);
        assertThat(Files.exists(tempDir.resolve("theory.fgm-attack").resolve(r.runId()).resolve("result.json"))).isTrue();
    }
}
