package dlx.engine.output;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts with XChart: line plots, bar charts and heat maps, as declared plots need them. */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    /** Matplotlib's tab10: strong, distinguishable colours (XChart's default markers are too pale). */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() { }

    /** An XY chart to fill with {@link #addLine}/{@link #addPoints}, then {@link #save}. */
    static XYChart xy(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setSeriesColors(PALETTE);
        return chart;
    }

    static XYSeries addLine(XYChart chart, String name, List<double[]> pts, boolean markers) {
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return s;
    }

    /** Grouped bar chart: one bar group per category, one colour per series. */
    static void bars(String title, String xLabel, String yLabel, List<String> categories,
                            Map<String, List<Double>> series, Path file) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setSeriesColors(PALETTE);
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        save(chart, file);
    }

    /** Heat map of {@code values[row][col]} with labelled axes (rows on y, columns on x). */
    static void heatmap(String title, String xLabel, String yLabel, List<String> columns, List<String> rows,
                               double[][] values, Path file) throws IOException {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setShowValue(values.length * columns.size() <= 400);
        chart.getStyler().setMin(min(values));
        chart.getStyler().setMax(max(values));
        java.util.List<Number[]> cells = new java.util.ArrayList<>();
        for (int r = 0; r < values.length; r++) {
            for (int c = 0; c < values[r].length; c++) {
                // XChart puts y index 0 at the bottom; flip so row 0 is on top, as in a matrix.
                cells.add(new Number[] {c, values.length - 1 - r, values[r][c]});
            }
        }
        List<String> flipped = new java.util.ArrayList<>(rows);
        java.util.Collections.reverse(flipped);
        chart.addSeries("values", columns, flipped, cells);
        save(chart, file);
    }

    static void save(Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        ImageIO.write(image, "png", file.toFile());
    }

    private static double min(double[][] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double[] row : v) {
            for (double x : row) {
                m = Math.min(m, x);
            }
        }
        return m;
    }

    private static double max(double[][] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double[] row : v) {
            for (double x : row) {
                m = Math.max(m, x);
            }
        }
        return m == Double.NEGATIVE_INFINITY ? 1 : m;
    }
}
