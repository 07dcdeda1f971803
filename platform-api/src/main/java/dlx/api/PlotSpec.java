package dlx.api;

/**
 * A picture the platform renders as a PNG beside {@code result.json} when the run ends (also for a
 * failed run, with what was recorded). Plugins declare plots; they never draw them.
 */
public sealed interface PlotSpec permits LinePlot, BarChart, HeatMap {

    /** The PNG's file name in the run's folder; ends with {@code .png}. */
    String fileName();

    String title();

    /** A line plot of recorded series: {@code PlotSpec.lines("loss.png", "Loss", "epoch", "loss", "trainLoss", "valLoss")}. */
    static LinePlot lines(String fileName, String title, String xLabel, String yLabel, String... series) {
        LinePlot.Builder b = LinePlot.builder(fileName, title, xLabel, yLabel);
        for (String s : series) {
            b.series(s);
        }
        return b.build();
    }

    static void checkFileName(String fileName, String extension) {
        if (fileName == null || !fileName.endsWith(extension) || fileName.length() == extension.length()) {
            throw new IllegalArgumentException("file name '" + fileName + "' must end with " + extension);
        }
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("file name '" + fileName + "' must be a plain name inside the run's folder");
        }
    }
}
