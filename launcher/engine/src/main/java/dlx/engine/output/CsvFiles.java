package dlx.engine.output;

import dlx.api.Labels;
import dlx.api.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The CSV files of a run: one per series name (label columns, then x, y) and one per declared table. */
public final class CsvFiles {
    private CsvFiles() { }

    /**
     * Writes {@code <name>.csv} for every series name; a labelled series adds one column per label
     * name ({@code run,x,y}). Returns the file names.
     */
    public static List<String> writeSeries(Path dir, Map<String, List<double[]>> byQualifiedKey) throws IOException {
        Map<String, Map<Labels, List<double[]>>> byName = new LinkedHashMap<>();
        byQualifiedKey.forEach((qualified, points) -> {
            int brace = qualified.indexOf('{');
            String name = brace < 0 ? qualified : qualified.substring(0, brace);
            Labels labels = brace < 0 ? Labels.NONE : Labels.parse(qualified.substring(brace));
            byName.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(labels, points);
        });
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, Map<Labels, List<double[]>>> e : byName.entrySet()) {
            Set<String> labelNames = new LinkedHashSet<>();
            e.getValue().keySet().forEach(l -> labelNames.addAll(l.asMap().keySet()));
            StringBuilder csv = new StringBuilder();
            List<Object> header = new ArrayList<>(labelNames);
            header.add("x");
            header.add("y");
            appendRow(csv, header);
            for (Map.Entry<Labels, List<double[]>> s : e.getValue().entrySet()) {
                for (double[] p : s.getValue()) {
                    List<Object> row = new ArrayList<>();
                    labelNames.forEach(n -> row.add(s.getKey().asMap().getOrDefault(n, "")));
                    row.add(p[0]);
                    row.add(p[1]);
                    appendRow(csv, row);
                }
            }
            String file = e.getKey() + ".csv";
            Files.writeString(RunFiles.inside(dir, file), csv);
            files.add(file);
        }
        return files;
    }

    /** Writes a declared table; returns its file name. */
    public static String writeTable(Path dir, TableSpec table) throws IOException {
        StringBuilder csv = new StringBuilder();
        appendRow(csv, new ArrayList<>(table.columns()));
        for (List<Object> row : table.rows()) {
            appendRow(csv, row);
        }
        Files.writeString(RunFiles.inside(dir, table.fileName()), csv);
        return table.fileName();
    }

    private static void appendRow(StringBuilder csv, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(cells.get(i)));
        }
        csv.append('\n');
    }

    /** RFC 4180: quote a cell holding a comma, quote or line break; double inner quotes. */
    static String cell(Object value) {
        String s = value == null ? "" : String.valueOf(value);
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
