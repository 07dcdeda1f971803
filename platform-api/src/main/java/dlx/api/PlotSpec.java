package dlx.api;

import java.util.List;

/**
 * A line plot of recorded series that the platform renders as a PNG beside {@code result.json}
 * (also for a failed run, with what was recorded). Series names refer to {@link RunContext#series}.
 */
public record PlotSpec(String fileName, String title, String xLabel, String yLabel, List<String> series,
                       boolean logX, boolean logY) {

    public PlotSpec {
        if (!fileName.endsWith(".png")) {
            throw new IllegalArgumentException("plot file '" + fileName + "' must end with .png");
        }
        series = List.copyOf(series);
    }

    public static PlotSpec lines(String fileName, String title, String xLabel, String yLabel, String... series) {
        return new PlotSpec(fileName, title, xLabel, yLabel, List.of(series), false, false);
    }

    public PlotSpec logLog() {
        return new PlotSpec(fileName, title, xLabel, yLabel, series, true, true);
    }

    public PlotSpec withLogX() {
        return new PlotSpec(fileName, title, xLabel, yLabel, series, true, logY);
    }

    public PlotSpec withLogY() {
        return new PlotSpec(fileName, title, xLabel, yLabel, series, logX, true);
    }
}
