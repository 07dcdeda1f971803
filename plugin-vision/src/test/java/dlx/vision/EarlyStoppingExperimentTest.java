package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.LinePlot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where early stopping would stop, and the plot that marks it, on hand-made validation curves. */
class EarlyStoppingExperimentTest {

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementKeepingTheBest() {
        double[] val = {0.70, 0.75, 0.74, 0.76, 0.75, 0.75, 0.74};
        assertThat(EarlyStoppingExperiment.wouldStop(val, 2)).containsExactly(6, 4);
        assertThat(EarlyStoppingExperiment.wouldStop(val, 1)).containsExactly(3, 2);
        // Never two epochs without improvement in a row before the end: it would not stop.
        assertThat(EarlyStoppingExperiment.wouldStop(new double[] {0.1, 0.3, 0.2, 0.4}, 2)).containsExactly(0, 4);
    }

    static MlpTraining.Epoch epoch(int e, double train, double val, double test) {
        return new MlpTraining.Epoch(e, 1.0 / e, train, 0.5, val, test, 1);
    }

    @Test
    void plotDrawsTheCurvesTheStopLineAcrossThemAndTheKeptModel() {
        List<MlpTraining.Epoch> epochs = List.of(epoch(1, 0.72, 0.70, 0.69), epoch(2, 0.80, 0.76, 0.75),
                epoch(3, 0.85, 0.74, 0.73));
        LinePlot plot = EarlyStoppingExperiment.plot(epochs, 1, 3, epochs.get(1));
        assertThat(plot.fileName()).isEqualTo("early-stopping.png");
        assertThat(plot.lines()).extracting(LinePlot.Line::series)
                .containsExactly("trainAccuracy", "valAccuracy", "testAccuracy", null, null);
        LinePlot.Line stop = plot.lines().get(3);
        assertThat(stop.style()).isEqualTo(LinePlot.Style.LINE);
        assertThat(stop.points()).satisfiesExactly(
                p -> assertThat(p).containsExactly(3, 0.69), // lowest accuracy drawn
                p -> assertThat(p).containsExactly(3, 0.85)); // highest
        LinePlot.Line kept = plot.lines().get(4);
        assertThat(kept.style()).isEqualTo(LinePlot.Style.POINTS);
        assertThat(kept.legend()).contains("epoch 2");
        assertThat(kept.points()).singleElement().satisfies(p -> assertThat(p).containsExactly(2, 0.76));
    }

    @Test
    void withoutAStopThereIsNoStopLine() {
        List<MlpTraining.Epoch> epochs = List.of(epoch(1, 0.72, 0.70, 0.69), epoch(2, 0.80, 0.76, 0.75));
        LinePlot plot = EarlyStoppingExperiment.plot(epochs, 5, 0, epochs.get(1));
        assertThat(plot.lines()).extracting(LinePlot.Line::style)
                .containsExactly(null, null, null, LinePlot.Style.POINTS);
    }
}
