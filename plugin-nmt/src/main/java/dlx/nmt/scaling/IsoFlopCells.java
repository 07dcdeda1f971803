package dlx.nmt.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the cells of an IsoFLOP grid from the results of runs that each trained part of it (one
 * cell, one budget, ...): {@code <results>/<experiment>/<run id>/result.json}, as the platform
 * writes them. Only results of the same configuration count: every parameter equal except those
 * that do not change how a cell is trained ({@code ignored}); results of other configurations in the
 * same folder (other seeds, say) are left alone. Plain Jackson, so that the plugin needs nothing of
 * the launcher.
 */
public final class IsoFlopCells {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IsoFlopCells() { }

    /**
     * The cells of the grid {@code dims} × {@code budgets}, budget by budget, found under
     * {@code results}; every cell must be there.
     *
     * @param params  this run's parameters (as in its result's {@code params})
     * @param ignored parameters that may differ (those that pick the part of the grid, the grid, the analysis)
     */
    public static List<IsoFlopCell> read(Path results, String experiment, Map<String, Object> params, Set<String> ignored,
                                         List<Integer> dims, List<Double> budgets) throws IOException {
        Path folder = results.resolve(experiment);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("fitFrom: " + results + " holds no folder " + experiment + " (expected the "
                    + "results folder of the cell runs, with " + experiment + "/<run id>/result.json)");
        }
        JsonNode own = JSON.valueToTree(without(params, ignored));
        Map<String, IsoFlopCell> found = new LinkedHashMap<>();
        List<String> otherConfigurations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> runs = Files.list(folder)) {
            // `latest` is a link to one of the run folders.
            files = runs.filter(d -> Files.isDirectory(d) && !Files.isSymbolicLink(d)).map(d -> d.resolve("result.json"))
                    .filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        }
        for (Path file : files) {
            JsonNode result;
            try {
                result = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new IOException("fitFrom: " + file + " is not readable JSON: " + e.getMessage(), e);
            }
            JsonNode cells = result.path("answers").path("cells");
            if (!"ok".equals(result.path("status").asText()) || !cells.isArray()) {
                continue;
            }
            JsonNode theirs = JSON.valueToTree(without(JSON.convertValue(result.path("params"), Map.class), ignored));
            if (!own.equals(IsoFlopCells::compareValues, theirs)) {
                otherConfigurations.add(file + " (" + difference(own, theirs) + ")");
                continue;
            }
            for (JsonNode c : cells) {
                IsoFlopCell cell = cell(c, file);
                found.putIfAbsent(cell.name(), cell);
            }
        }
        List<IsoFlopCell> grid = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (double budget : budgets) {
            for (int dim : dims) {
                IsoFlopCell cell = found.get(IsoFlopCell.name(dim, budget));
                if (cell == null) {
                    missing.add(IsoFlopCell.name(dim, budget));
                } else {
                    grid.add(cell);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("fitFrom: " + missing.size() + " of " + dims.size() * budgets.size()
                    + " cells have no ok result of this configuration in " + folder + ": " + String.join(", ", missing)
                    + " (width@budget; run each with --param onlyDim=<width> --param onlyBudget=<budget> and the same other "
                    + "parameters)" + (otherConfigurations.isEmpty() ? "" : "; results of other configurations there: "
                    + String.join("; ", otherConfigurations.subList(0, Math.min(3, otherConfigurations.size())))
                    + (otherConfigurations.size() > 3 ? "; ..." : "")));
        }
        return grid;
    }

    private static IsoFlopCell cell(JsonNode c, Path file) {
        for (String key : List.of("budget", "dim", "parameters", "steps", "tokens", "flops", "valLoss")) {
            if (!c.path(key).isNumber()) {
                throw new IllegalArgumentException("fitFrom: " + file + ": a cell has no number '" + key + "': " + c);
            }
        }
        return new IsoFlopCell(c.get("budget").doubleValue(), c.get("dim").intValue(), c.get("parameters").longValue(),
                c.get("steps").longValue(), c.get("tokens").longValue(), c.get("flops").doubleValue(),
                c.get("valLoss").doubleValue());
    }

    private static Map<String, Object> without(Map<?, ?> params, Set<String> ignored) {
        Map<String, Object> m = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!ignored.contains(k.toString())) {
                m.put(k.toString(), v);
            }
        });
        return m;
    }

    /** Numbers by value (42 written as an int equals 42 read as a long), everything else as Jackson compares it. */
    private static int compareValues(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    /** The first parameter that differs, as {@code seed 42 -> 7}. */
    private static String difference(JsonNode own, JsonNode theirs) {
        Set<String> names = new LinkedHashSet<>();
        own.fieldNames().forEachRemaining(names::add);
        theirs.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            JsonNode a = own.path(n);
            JsonNode b = theirs.path(n);
            if (!a.equals(IsoFlopCells::compareValues, b)) {
                return n + " " + (b.isMissingNode() ? "(absent)" : b) + " -> " + (a.isMissingNode() ? "(absent)" : a);
            }
        }
        return "same parameters";
    }
}
