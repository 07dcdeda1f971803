package dlx.launcher.records;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints rows as an aligned text table or as CSV. */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public void add(List<String> row) {
        rows.add(row);
    }

    public void printAligned(PrintWriter out) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], Math.min(60, cell(r, c).length()));
            }
        }
        print(out, header, width);
        for (List<String> r : rows) {
            print(out, r, width);
        }
        out.flush();
    }

    private static void print(PrintWriter out, List<String> row, int[] width) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            String v = cell(row, c);
            s.append(c == width.length - 1 ? v : String.format("%-" + width[c] + "s  ", v));
        }
        out.println(s.toString().stripTrailing());
    }

    public void printCsv(PrintWriter out) {
        out.println(csv(header));
        rows.forEach(r -> out.println(csv(r)));
        out.flush();
    }

    private static String csv(List<String> row) {
        List<String> cells = new ArrayList<>();
        for (String v : row) {
            cells.add(v.contains(",") || v.contains("\"") || v.contains("\n") ? '"' + v.replace("\"", "\"\"") + '"' : v);
        }
        return String.join(",", cells);
    }

    private static String cell(List<String> row, int c) {
        return c < row.size() && row.get(c) != null ? row.get(c) : "";
    }

    /** Numbers compactly (4 significant digits), everything else as text. */
    public static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e12) {
                return Long.toString(d.longValue());
            }
            return String.format(Locale.ROOT, Math.abs(d) >= 1e-3 && Math.abs(d) < 1e6 ? "%.4g" : "%.3e", d);
        }
        return String.valueOf(v);
    }
}
