package dlx.launcher.sweep;

import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.launcher.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grids on the command line, Hydra style: {@code --param lr=0.1,0.01 --param batchSize=5,50} is
 * every combination (first axis slowest). A value holding the separator is quoted, with {@code "}
 * or {@code '}: {@code caption="a cat, a dog",a bird} is two values. A list-typed parameter
 * (integers, numbers or text separated by commas) already uses the comma inside one value, so its
 * alternatives are separated by {@code ;}: {@code dims=8,16;32,64} is two runs, one with the list
 * {@code [8,16]} and one with {@code [32,64]}; {@code dims=8,16} stays one run, as before grids.
 */
public final class Grid {
    private Grid() { }

    /** The separator between the alternatives of one axis for this parameter. */
    public static char separator(ParamSpec spec) {
        return isList(spec.type()) ? ';' : ',';
    }

    static boolean isList(ParamType type) {
        return type == ParamType.INT_LIST || type == ParamType.DOUBLE_LIST || type == ParamType.STRING_LIST;
    }

    /**
     * The axes of one experiment: every raw value split into its alternatives (one alternative for a
     * plain value). Unknown parameters are left to validation, which names them.
     * @throws UsageException for an empty alternative or an unclosed quote
     */
    public static Map<String, List<String>> axes(ExperimentSpec spec, Map<String, String> raw) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            char sep = spec.param(name).map(Grid::separator).orElse(',');
            List<String> values = split(value, sep);
            if (values.size() > 1 && values.stream().anyMatch(String::isEmpty)) {
                throw new UsageException("--param " + name + "=" + value + ": an empty value between '" + sep
                        + "' separators; quote a value that holds a '" + sep + "'");
            }
            axes.put(name, values);
        });
        return axes;
    }

    /** Every combination of the axes' values, the first axis varying slowest. */
    public static List<Map<String, String>> combinations(Map<String, List<String>> axes) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            if (axis.getValue().isEmpty()) {
                throw new UsageException("grid axis '" + axis.getKey() + "' has no values");
            }
            List<Map<String, String>> next = new ArrayList<>(out.size() * axis.getValue().size());
            for (Map<String, String> partial : out) {
                for (String v : axis.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** The grid of one experiment's raw {@code --param} values. */
    public static List<Map<String, String>> expand(ExperimentSpec spec, Map<String, String> raw) {
        return combinations(axes(spec, raw));
    }

    /**
     * Splits at {@code sep}. An item that starts with {@code "} or {@code '} is quoted up to the
     * same quote (the other kind is literal inside), which must end the item; the quotes are
     * removed. A quote inside an unquoted item is literal ({@code a dog's toy}), so text without a
     * separator and not starting with a quote comes back unchanged.
     * @throws UsageException for an unclosed quote or text after a closing quote
     */
    public static List<String> split(String raw, char sep) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder item = new StringBuilder();
            if (i < raw.length() && (raw.charAt(i) == '"' || raw.charAt(i) == '\'')) {
                char quote = raw.charAt(i);
                int close = raw.indexOf(quote, i + 1);
                if (close < 0) {
                    throw new UsageException("unclosed " + quote + " in '" + raw + "'");
                }
                item.append(raw, i + 1, close);
                i = close + 1;
                if (i < raw.length() && raw.charAt(i) != sep) {
                    throw new UsageException("'" + raw + "': a quoted value must be followed by '" + sep + "' or end");
                }
            } else {
                while (i < raw.length() && raw.charAt(i) != sep) {
                    item.append(raw.charAt(i++));
                }
            }
            parts.add(item.toString());
            if (i >= raw.length()) {
                return parts;
            }
            i++; // the separator
        }
    }
}
