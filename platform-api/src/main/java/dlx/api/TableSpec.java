package dlx.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table the platform writes as CSV (RFC 4180 quoting) into the run's folder:
 * {@code TableSpec.builder("ood.csv", "model", "params").row("mlp", 101770).build()}.
 */
public record TableSpec(String fileName, List<String> columns, List<List<Object>> rows) {

    public TableSpec {
        PlotSpec.checkFileName(fileName, ".csv");
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>();
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("table " + fileName + ": a row has " + row.size() + " cells for "
                        + columns.size() + " columns " + columns);
            }
            copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = List.copyOf(copy);
    }

    public static Builder builder(String fileName, String... columns) {
        return new Builder(fileName, List.of(columns));
    }

    public static Builder builder(String fileName, List<String> columns) {
        return new Builder(fileName, columns);
    }

    public static final class Builder {
        private final String fileName;
        private final List<String> columns;
        private final List<List<Object>> rows = new ArrayList<>();

        private Builder(String fileName, List<String> columns) {
            this.fileName = fileName;
            this.columns = columns;
        }

        public Builder row(Object... cells) {
            rows.add(Arrays.asList(cells));
            return this;
        }

        public Builder row(List<?> cells) {
            rows.add(new ArrayList<>(cells));
            return this;
        }

        public TableSpec build() {
            return new TableSpec(fileName, columns, rows);
        }
    }
}
