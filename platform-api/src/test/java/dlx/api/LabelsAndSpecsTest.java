package dlx.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsAndSpecsTest {

    @Test
    void labelsKeepTheirOrderAndReadBackFromTheirText() {
        Labels l = Labels.of("model", "mlp", "testSet", "rot90");
        assertThat(l.text()).isEqualTo("{model=mlp,testSet=rot90}");
        assertThat(l.qualify("accuracy")).isEqualTo("accuracy{model=mlp,testSet=rot90}");
        assertThat(List.copyOf(l.asMap().keySet())).containsExactly("model", "testSet");
        assertThat(Labels.parse(l.text())).isEqualTo(l);
        assertThat(Labels.parse("")).isSameAs(Labels.NONE);
        assertThat(Labels.NONE.qualify("loss")).isEqualTo("loss");
        assertThat(Labels.of("run", "h32-small").and("seed", "1").asMap()).isEqualTo(Map.of("run", "h32-small", "seed", "1"));
    }

    @Test
    void badLabelsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Labels.of("Model", "mlp")).hasMessageContaining("'Model'").hasMessageContaining("camelCase");
        assertThatThrownBy(() -> Labels.of("test_set", "x")).hasMessageContaining("camelCase");
        assertThatThrownBy(() -> Labels.of("experiment", "x")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Labels.of("model", "")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> Labels.of("model", "a,b")).hasMessageContaining("'a,b'");
        assertThatThrownBy(() -> Labels.of("model", "a}")).hasMessageContaining("'a}'");
        assertThatThrownBy(() -> Labels.of("model", "a", "model", "b")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Labels.of("model")).hasMessageContaining("pairs");
        assertThatThrownBy(() -> Labels.parse("model=mlp")).hasMessageContaining("label set");
    }

    @Test
    void plotAndTableSpecsCheckTheirShapeAndFileNames() {
        assertThatThrownBy(() -> PlotSpec.lines("loss.svg", "t", "x", "y", "a")).hasMessageContaining(".png");
        assertThatThrownBy(() -> PlotSpec.lines("../x.png", "t", "x", "y", "a")).hasMessageContaining("plain name");
        assertThatThrownBy(() -> BarChart.of("b.png", "t", "x", "y", List.of("a", "b"), "s", List.of(1.0)))
                .hasMessageContaining("1 values for 2 categories");
        assertThatThrownBy(() -> new HeatMap("h.png", "t", "x", "y", List.of("a"), List.of("r"), new double[][] {{1, 2}}))
                .hasMessageContaining("row 0 has 2 values for 1 columns");
        assertThatThrownBy(() -> TableSpec.builder("t.csv", "a", "b").row(1).build()).hasMessageContaining("1 cells for 2 columns");
        assertThatThrownBy(() -> TableSpec.builder("t.txt", "a").build()).hasMessageContaining(".csv");

        LinePlot p = LinePlot.builder("p.png", "t", "x", "y").series("trainLoss").everyLabelSet("valLoss")
                .points("kept", List.of(new double[] {1, 2})).logLog().build();
        assertThat(p.lines()).extracting(LinePlot.Line::series).containsExactly("trainLoss", "valLoss", null);
        assertThat(p.lines().get(1).everyLabelSet()).isTrue();
        assertThat(p.lines().get(2).style()).isEqualTo(LinePlot.Style.POINTS);
        assertThat(p.logX() && p.logY()).isTrue();
    }

    @Test
    void cancellationTokensThrowOnceCancelled() {
        CancellationToken.none().throwIfCancelled();
        CancellationToken cancelled = () -> true;
        assertThatThrownBy(cancelled::throwIfCancelled).isInstanceOf(java.util.concurrent.CancellationException.class);
    }
}
