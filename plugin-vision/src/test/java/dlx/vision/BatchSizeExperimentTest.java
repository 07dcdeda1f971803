package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a batch size's run counts as capped, and the trends the yes/no answers read. */
class BatchSizeExperimentTest {

    @Test
    void aRunIsCappedWhenEarlyStoppingCouldNotConfirmItsBestEpochBeforeTheCap() {
        // Patience 5, cap 100: the best epoch 93 is confirmed by epoch 98; 96 would need epoch 101.
        assertThat(BatchSizeExperiment.capped(93, 100, 5)).isFalse();
        assertThat(BatchSizeExperiment.capped(95, 100, 5)).isFalse();
        assertThat(BatchSizeExperiment.capped(96, 100, 5)).isTrue();
        assertThat(BatchSizeExperiment.capped(100, 100, 5)).isTrue();
        // Without early stopping only a best epoch at the cap itself is capped.
        assertThat(BatchSizeExperiment.capped(2, 2, 0)).isTrue();
        assertThat(BatchSizeExperiment.capped(1, 2, 0)).isFalse();
        assertThat(BatchSizeExperiment.capped(99, 100, 1)).isFalse();
    }

    @Test
    void monotoneTrends() {
        // Updates to the best epoch of the README's batch sizes 1, 5, 20, 100, 500: 16 x 10,000 / b epochs' worth.
        List<Long> updates = List.of(16 * 10_000L, 16 * 2_000L, 17 * 500L, 28 * 100L, 93 * 20L);
        assertThat(BatchSizeExperiment.monotone(updates, false)).isTrue();
        assertThat(BatchSizeExperiment.monotone(updates, true)).isFalse();
        assertThat(BatchSizeExperiment.monotone(List.of(16, 16, 17, 28, 93), true)).isTrue();
        assertThat(BatchSizeExperiment.monotone(List.of(16, 15, 17), true)).isFalse();
        assertThat(BatchSizeExperiment.monotone(List.of(), true)).isTrue();
    }
}
