package dlx.api;

import java.util.List;

/** A matrix of values as colours ({@code values[row][column]}, row 0 on top), e.g. a confusion matrix. */
public record HeatMap(String fileName, String title, String xLabel, String yLabel, List<String> columns,
                      List<String> rows, double[][] values) implements PlotSpec {

    public HeatMap {
        PlotSpec.checkFileName(fileName, ".png");
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        if (values.length != rows.size()) {
            throw new IllegalArgumentException("heat map " + fileName + ": " + values.length + " rows of values for "
                    + rows.size() + " row names");
        }
        double[][] copy = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            if (values[r].length != columns.size()) {
                throw new IllegalArgumentException("heat map " + fileName + ": row " + r + " has " + values[r].length
                        + " values for " + columns.size() + " columns");
            }
            copy[r] = values[r].clone();
        }
        values = copy;
    }
}
