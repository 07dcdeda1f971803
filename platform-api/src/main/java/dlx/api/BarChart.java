package dlx.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Grouped bars: one group per category, one colour per named series of values (one value per category). */
public record BarChart(String fileName, String title, String xLabel, String yLabel, List<String> categories,
                       Map<String, List<Double>> bars) implements PlotSpec {

    public BarChart {
        PlotSpec.checkFileName(fileName, ".png");
        categories = List.copyOf(categories);
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : bars.entrySet()) {
            if (e.getValue().size() != categories.size()) {
                throw new IllegalArgumentException("bar chart " + fileName + ": '" + e.getKey() + "' has "
                        + e.getValue().size() + " values for " + categories.size() + " categories");
            }
            copy.put(e.getKey(), List.copyOf(new ArrayList<>(e.getValue())));
        }
        bars = java.util.Collections.unmodifiableMap(copy);
    }

    /** One colour of bars: {@code values} in category order. */
    public static BarChart of(String fileName, String title, String xLabel, String yLabel, List<String> categories,
                              String name, List<Double> values) {
        return new BarChart(fileName, title, xLabel, yLabel, categories, Map.of(name, values));
    }
}
