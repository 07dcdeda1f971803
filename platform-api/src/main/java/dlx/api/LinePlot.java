package dlx.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines and points on x/y axes. A line is a recorded series (one label set, or every label set
 * of a key, each its own line) or fixed points given by the plugin (a marker, a reference line).
 */
public record LinePlot(String fileName, String title, String xLabel, String yLabel, List<Line> lines,
                       boolean logX, boolean logY, Range xRange, Range yRange) implements PlotSpec {

    public LinePlot {
        PlotSpec.checkFileName(fileName, ".png");
        lines = List.copyOf(lines);
    }

    /** How a line is drawn. */
    public enum Style { LINE, LINE_AND_MARKERS, POINTS }

    /** Axis limits; null bounds are automatic. */
    public record Range(Double min, Double max) { }

    /**
     * One entry of the legend. {@code series} names a recorded key; with {@code everyLabelSet}
     * every label set of that key becomes a line (legend: the label values), otherwise the one
     * set {@code labels}. Without a series, {@code points} are drawn as given.
     */
    public record Line(String legend, String series, Labels labels, boolean everyLabelSet,
                       List<double[]> points, Style style) {
        public Line {
            points = points == null ? List.of() : points.stream().map(double[]::clone).toList();
            labels = labels == null ? Labels.NONE : labels;
        }
    }

    public static Builder builder(String fileName, String title, String xLabel, String yLabel) {
        return new Builder(fileName, title, xLabel, yLabel);
    }

    public static final class Builder {
        private final String fileName;
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private final List<Line> lines = new ArrayList<>();
        private boolean logX;
        private boolean logY;
        private Range xRange = new Range(null, null);
        private Range yRange = new Range(null, null);

        private Builder(String fileName, String title, String xLabel, String yLabel) {
            this.fileName = fileName;
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        /** The unlabelled series {@code key}, legend = the key. */
        public Builder series(String key) {
            return series(key, Labels.NONE, key);
        }

        /** One label set of {@code key}. */
        public Builder series(String key, Labels labels, String legend) {
            lines.add(new Line(legend, key, labels, false, null, null));
            return this;
        }

        /** Every label set of {@code key}, one line each, legend = its label values. */
        public Builder everyLabelSet(String key) {
            lines.add(new Line(null, key, Labels.NONE, true, null, null));
            return this;
        }

        /** A fixed line through the given points. */
        public Builder line(String legend, List<double[]> points) {
            lines.add(new Line(legend, null, Labels.NONE, false, points, Style.LINE));
            return this;
        }

        /** Fixed points, drawn as markers without a line. */
        public Builder points(String legend, List<double[]> points) {
            lines.add(new Line(legend, null, Labels.NONE, false, points, Style.POINTS));
            return this;
        }

        public Builder logX() { logX = true; return this; }
        public Builder logY() { logY = true; return this; }
        public Builder logLog() { return logX().logY(); }
        public Builder xRange(double min, double max) { xRange = new Range(min, max); return this; }
        public Builder yRange(double min, double max) { yRange = new Range(min, max); return this; }

        public LinePlot build() {
            return new LinePlot(fileName, title, xLabel, yLabel, lines, logX, logY, xRange, yRange);
        }
    }

    /** A copy with a logarithmic x axis. */
    public LinePlot withLogX() {
        return new LinePlot(fileName, title, xLabel, yLabel, lines, true, logY, xRange, yRange);
    }

    /** A copy with a logarithmic y axis. */
    public LinePlot withLogY() {
        return new LinePlot(fileName, title, xLabel, yLabel, lines, logX, true, xRange, yRange);
    }

    /** A copy with both axes logarithmic. */
    public LinePlot logLog() {
        return new LinePlot(fileName, title, xLabel, yLabel, lines, true, true, xRange, yRange);
    }
}
