package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExhaustiveSearchExperimentTest {
    @TempDir
    Path tempDir;

    @Test
    void theCostFollowsFromTheCountAndTheMeasuredRate() {
        ExperimentResult r = ExperimentTestKit.quick(new ExhaustiveSearchExperiment()).in(tempDir).run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        // 50,000^20 = 5^20 * 10^80 sentences.
        double log10 = 20 * Math.log10(5) + 80;
        assertThat((Double) r.answer("sequenceCountLog10")).isCloseTo(log10, within(1e-9));
        double rate = (Double) r.answer("sequencesPerSecond");
        assertThat(rate).isPositive();
        // The quick profile times all 60^3 sentences.
        assertThat(r.metric("measuredSequences")).isEqualTo(216_000.0);
        assertThat(rate).isCloseTo(216_000 / r.metric("measuredSeconds"), within(1e-6 * rate));
        double seconds = (Double) r.answer("exhaustiveSeconds");
        assertThat(Math.log10(seconds)).isCloseTo(log10 - Math.log10(rate), within(1e-9));
        assertThat((Double) r.answer("exhaustiveYears")).isCloseTo(seconds / 31_557_600, within(1e-9 * seconds));
        assertThat((Double) r.answer("ageOfUniverseMultiples")).isGreaterThan(1e50);
        // Beam search scores B*N candidates at each of the T steps: 20 * 5 * 50,000.
        assertThat((Double) r.answer("beamScores")).isEqualTo(5_000_000.0);
        assertThat((Double) r.answer("beamSeconds")).isCloseTo(5_000_000 / rate, within(1e-9));
        assertThat((Double) r.answer("greedyScores")).isEqualTo(1_000_000.0);
        assertThat(r.metric("sequenceCountResidual")).isZero();
        assertThat(r.metric("exhaustiveVsViterbiResidual")).isLessThan(1e-9);
    }

    @Test
    void streamingSearchAndViterbiAgreeWithABruteForceOverAllSentences() {
        ExhaustiveSearchExperiment.BigramModel m = ExhaustiveSearchExperiment.BigramModel.random(new Random(7), 6);
        // Every sentence of 4 words, scored by the chain rule from the model's table.
        double best = Double.NEGATIVE_INFINITY;
        List<String> bestWords = null;
        for (int k = 0; k < 6 * 6 * 6 * 6; k++) {
            int[] w = {k / 216, k / 36 % 6, k / 6 % 6, k % 6};
            double s = m.logProbs(-1)[w[0]];
            for (int t = 1; t < 4; t++) {
                s += m.logProbs(w[t - 1])[w[t]];
            }
            if (s > best) {
                best = s;
                bestWords = new ArrayList<>();
                for (int x : w) {
                    bestWords.add("w" + x);
                }
            }
        }
        Decoders.Scan scan = Decoders.exhaustiveScan(m, 4);
        assertThat(scan.sequences()).isEqualTo(1296);
        // One model call per prefix of 0..3 words: 1 + 6 + 36 + 216.
        assertThat(scan.modelCalls()).isEqualTo(259);
        assertThat(scan.best().words()).isEqualTo(bestWords);
        assertThat(scan.best().logLik()).isCloseTo(best, within(1e-12));
        ExhaustiveSearchExperiment.Viterbi v = ExhaustiveSearchExperiment.viterbi(m, 4);
        assertThat(v.words()).isEqualTo(bestWords);
        assertThat(v.logLik()).isCloseTo(best, within(1e-12));
        // Each row of the model is a distribution.
        for (int prev = -1; prev < 6; prev++) {
            double z = 0;
            for (double lp : m.logProbs(prev)) {
                z += Math.exp(lp);
            }
            assertThat(z).isCloseTo(1, within(1e-12));
        }
        assertThat(m.nextLogProbs(List.of("w3"))).containsEntry("w2", m.logProbs(3)[2]);
        assertThat(m.nextLogProbs(List.of())).hasSize(6);
    }

    @Test
    void aTimingThatWouldNotEndIsRefused() {
        ExperimentResult r = ExperimentTestKit.quick(new ExhaustiveSearchExperiment())
                .params(Map.of("measureVocabulary", "100000", "measureLength", "2")).in(tempDir).run();
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error()).contains("measureVocabulary^measureLength");
    }
}
