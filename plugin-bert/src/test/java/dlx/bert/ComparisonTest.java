package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The frozen-versus-fine-tuned answers on hand-made outcomes. */
class ComparisonTest {

    static Trained outcome(double accuracy, double epochSeconds) {
        return new Trained(accuracy, accuracy, 0.1, 10 * epochSeconds, epochSeconds);
    }

    @Test
    void fasterFrozenEpochsAndAHigherFineTunedAccuracyAreExplainedByTheNumbers() {
        // 160 validation expressions: 147 right frozen, 150 right fine-tuned.
        Comparison c = new Comparison(outcome(147 / 160.0, 0.16), 1155, 3.3, outcome(150 / 160.0, 13.5), 10_800_000, "linear");
        assertThat(c.epochSecondsRatio()).isEqualTo(13.5 / 0.16);
        assertThat(c.accuracyGain()).isEqualTo(150 / 160.0 - 147 / 160.0);
        assertThat(c.why())
                .contains("The frozen encoder trains faster: 0.160 s per epoch against 13.5 s fine-tuned (84x)")
                .contains("only the head's 1,155 weights train", "computed once (3.30 s)", "updates 10,800,000 weights")
                .contains("same linear head on [CLS], fine-tuning reaches 0.938 against 0.919 frozen (+1.9 points)")
                .contains("adapting the representation to the task pays");
    }

    @Test
    void theTextSaysSoWhenTheNumbersGoTheOtherWay() {
        Comparison c = new Comparison(outcome(0.9, 2.0), 1155, 1, outcome(0.85, 1.0), 100, "mlp128");
        assertThat(c.epochSecondsRatio()).isEqualTo(0.5);
        assertThat(c.why()).contains("were not faster (2.00 s against 1.00 s fine-tuned)")
                .contains("same mlp128 head", "(-5.0 points)", "did not pay").doesNotContain("trains faster");
    }

    @Test
    void bestIsTheHighestAccuracyAndTheFirstOnTies() {
        Map<String, Comparison> results = new LinkedHashMap<>();
        results.put("mathbert", new Comparison(outcome(0.80, 1), 1, 1, outcome(0.95, 10), 2, "linear"));
        results.put("bertweet", new Comparison(outcome(0.85, 1), 1, 1, outcome(0.95, 10), 2, "linear"));
        assertThat(ComparePretrainingExperiment.best(results, true)).isEqualTo("mathbert");
        assertThat(ComparePretrainingExperiment.best(results, false)).isEqualTo("bertweet");
    }
}
