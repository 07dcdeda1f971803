package dlx.engine.output;

import dlx.api.BarChart;
import dlx.api.HeatMap;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.PlotSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Renders declared plots as PNGs from what the run recorded. */
public final class PlotRenderer {
    private PlotRenderer() { }

    /**
     * Renders {@code plot} into {@code dir}; {@code recorded} holds the run's series by qualified key.
     * Returns false when there is nothing to draw (none of a line plot's series has points).
     */
    public static boolean render(PlotSpec plot, Map<String, List<double[]>> recorded, Path dir) throws IOException {
        Path file = RunFiles.inside(dir, plot.fileName());
        if (plot instanceof LinePlot lines) {
            return renderLines(lines, recorded, file);
        } else if (plot instanceof BarChart bars) {
            Charts.bars(bars.title(), bars.xLabel(), bars.yLabel(), bars.categories(), bars.bars(), file);
            return true;
        } else if (plot instanceof HeatMap heat) {
            Charts.heatmap(heat.title(), heat.xLabel(), heat.yLabel(), heat.columns(), heat.rows(), heat.values(), file);
            return true;
        }
        throw new IllegalArgumentException("unknown plot type " + plot.getClass().getName());
    }

    private static boolean renderLines(LinePlot spec, Map<String, List<double[]>> recorded, Path file) throws IOException {
        XYChart chart = Charts.xy(spec.title(), spec.xLabel(), spec.yLabel(), spec.logX(), spec.logY());
        if (spec.xRange().min() != null) {
            chart.getStyler().setXAxisMin(spec.xRange().min());
        }
        if (spec.xRange().max() != null) {
            chart.getStyler().setXAxisMax(spec.xRange().max());
        }
        if (spec.yRange().min() != null) {
            chart.getStyler().setYAxisMin(spec.yRange().min());
        }
        if (spec.yRange().max() != null) {
            chart.getStyler().setYAxisMax(spec.yRange().max());
        }
        int drawn = 0;
        for (LinePlot.Line line : spec.lines()) {
            if (line.series() == null) {
                if (!line.points().isEmpty()) {
                    add(chart, line.legend(), line.points(), line.style());
                    drawn++;
                }
                continue;
            }
            if (line.everyLabelSet()) {
                String prefix = line.series() + "{";
                for (Map.Entry<String, List<double[]>> e : recorded.entrySet()) {
                    if (e.getKey().startsWith(prefix) && !e.getValue().isEmpty()) {
                        Labels labels = Labels.parse(e.getKey().substring(line.series().length()));
                        String legend = labels.asMap().values().stream().collect(Collectors.joining(" "));
                        add(chart, legend, e.getValue(), null);
                        drawn++;
                    }
                }
            } else {
                List<double[]> pts = recorded.get(line.labels().qualify(line.series()));
                if (pts != null && !pts.isEmpty()) {
                    add(chart, line.legend() == null ? line.labels().qualify(line.series()) : line.legend(), pts, line.style());
                    drawn++;
                }
            }
        }
        if (drawn == 0) {
            return false;
        }
        Charts.save(chart, file);
        return true;
    }

    private static void add(XYChart chart, String legend, List<double[]> pts, LinePlot.Style style) {
        LinePlot.Style s = style != null ? style : pts.size() <= 40 ? LinePlot.Style.LINE_AND_MARKERS : LinePlot.Style.LINE;
        XYSeries series = Charts.addLine(chart, uniqueLegend(chart, legend), pts, s != LinePlot.Style.LINE);
        if (s == LinePlot.Style.POINTS) {
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
    }

    /** XChart refuses two series of one name. */
    private static String uniqueLegend(XYChart chart, String legend) {
        String name = legend;
        for (int i = 2; chart.getSeriesMap().containsKey(name); i++) {
            name = legend + " (" + i + ")";
        }
        return name;
    }
}
