package dlx.launcher.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dlx.api.ExperimentSpec;
import dlx.launcher.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridTest {
    private final ExperimentSpec train = new SweepFixtures.Train().spec();

    @Test
    void commasSplitScalarsAndQuotesKeepThem() {
        assertThat(Grid.split("0.1,0.01,0.001", ',')).containsExactly("0.1", "0.01", "0.001");
        assertThat(Grid.split("\"a cat, a dog\",a bird", ',')).containsExactly("a cat, a dog", "a bird");
        assertThat(Grid.split("'say \"hi\", then go',x", ',')).containsExactly("say \"hi\", then go", "x");
        // a quote inside an unquoted value is literal, so plain text is unchanged
        assertThat(Grid.split("a dog's toy", ',')).containsExactly("a dog's toy");
        assertThat(Grid.split("", ',')).containsExactly("");
        assertThatThrownBy(() -> Grid.split("\"open, never closed", ',')).isInstanceOf(UsageException.class)
                .hasMessageContaining("unclosed");
        assertThatThrownBy(() -> Grid.split("\"a\"b,c", ',')).hasMessageContaining("must be followed by ','");
    }

    @Test
    void listParametersKeepTheirCommasAndSeparateAlternativesBySemicolons() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("dims", "8,16;32,64;128");
        raw.put("learningRate", "0.1,0.01");
        Map<String, List<String>> axes = Grid.axes(train, raw);
        assertThat(axes.get("dims")).containsExactly("8,16", "32,64", "128");
        assertThat(axes.get("learningRate")).containsExactly("0.1", "0.01");
        // one list value stays one run, as before grids existed
        assertThat(Grid.axes(train, Map.of("dims", "8,16")).get("dims")).containsExactly("8,16");
    }

    @Test
    void everyCombinationFirstAxisSlowest() {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        axes.put("a", List.of("1", "2", "3"));
        axes.put("b", List.of("x", "y"));
        axes.put("c", List.of("only"));
        List<Map<String, String>> all = Grid.combinations(axes);
        assertThat(all).hasSize(3 * 2);
        assertThat(all.stream().map(m -> m.get("a") + m.get("b") + m.get("c")))
                .containsExactly("1xonly", "1yonly", "2xonly", "2yonly", "3xonly", "3yonly");
        assertThat(Grid.combinations(new LinkedHashMap<>())).containsExactly(Map.of());
    }

    @Test
    void emptyAlternativesAreRefused() {
        assertThatThrownBy(() -> Grid.axes(train, Map.of("learningRate", "0.1,,0.2"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("--param learningRate=0.1,,0.2").hasMessageContaining("empty value");
        assertThatThrownBy(() -> Grid.axes(train, Map.of("dims", "8;"))).hasMessageContaining("empty value between ';'");
        assertThatThrownBy(() -> Grid.combinations(Map.of("a", List.of()))).hasMessageContaining("grid axis 'a' has no values");
    }
}
