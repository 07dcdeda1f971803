package dlx.launcher.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dlx.launcher.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a sweep asks for, from a sweep file or the command line. A sweep file (YAML):
 * <pre>
 * name: lr-study                  # optional, shown in job names
 * experiment: vision.mlp-scratch  # or experiments: [a, b] (ids or globs)
 * profile: quick                  # default profile of the runs
 * params: {epochs: 5}             # fixed values (a YAML list for a list parameter)
 * grid:                           # axes: every combination
 *   learningRate: [0.1, 0.01]
 *   batchSize: [5, 50]
 * seed: [1, 2, 3]                 # repeats: an axis over the seed
 * samples: 20                     # random search: 20 draws of ...
 * samplerSeed: 7                  # ... with this seed (default 0): the plan is reproducible
 * random:
 *   momentum: uniform(0, 0.9)
 *   learningRate: loguniform(1e-4, 1e-1)
 * fanOut:                         # a study fanned out into cells and a fit (see SweepPlanner):
 *   cells: {onlyDim: dims, onlyBudget: budgets}   #   selector parameter: the list parameter it walks
 *   fit: fitFrom                  #   the path parameter of the fit run that gets the results folder
 * </pre>
 * Runs: every grid point × every draw × every seed. Command-line {@code --param} values are axes
 * too ({@link Grid}).
 *
 * @param cliParams raw {@code --param} values (split per experiment, see {@link Grid})
 * @param params    fixed values from the file
 * @param grid      explicit axes from the file
 * @param random    distributions by parameter, as written
 */
public record SweepSpec(String name, List<String> experiments, String profile, Map<String, String> cliParams,
                        Map<String, String> params, Map<String, List<String>> grid, List<String> seeds,
                        Map<String, String> random, int samples, long samplerSeed, FanOut fanOut, String source) {

    /**
     * A study fanned out: one cell run per combination of the {@code cells} selectors (each
     * selector parameter takes, in turn, every element of the list parameter it names), then one
     * fit run whose path parameter {@code fit} receives the results folder holding the cells.
     */
    public record FanOut(Map<String, String> cells, String fit) {
        public FanOut {
            cells = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cells));
        }
    }

    static final Set<String> KEYS = Set.of("name", "experiment", "experiments", "profile", "params", "grid", "seed",
            "samples", "samplerSeed", "random", "fanOut");

    public SweepSpec {
        cliParams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cliParams));
    }

    /** A sweep from the command line alone: ids, {@code --param} axes and an optional fan-out (null). */
    public static SweepSpec ofCommandLine(List<String> selectors, Map<String, String> cliParams, FanOut fanOut) {
        return new SweepSpec(null, selectors, null, new LinkedHashMap<>(cliParams), new LinkedHashMap<>(), new LinkedHashMap<>(),
                List.of(), new LinkedHashMap<>(), 0, 0, fanOut, "the command line");
    }

    /** This sweep with the command line's ids, {@code --param} axes and fan-out (null: none) added. */
    public SweepSpec withCommandLine(List<String> selectors, Map<String, String> moreParams, FanOut moreFanOut) {
        if (!selectors.isEmpty()) {
            throw new UsageException(source + " names the experiments; give no ids with --sweep");
        }
        Map<String, String> cli = new LinkedHashMap<>(cliParams);
        for (String k : moreParams.keySet()) {
            if (params.containsKey(k) || grid.containsKey(k) || random.containsKey(k) || cli.containsKey(k)
                    || (k.equals("seed") && !seeds.isEmpty())) {
                throw new UsageException("parameter '" + k + "' is given both in " + source + " and with --param");
            }
        }
        cli.putAll(moreParams);
        if (moreFanOut != null && fanOut != null) {
            throw new UsageException(source + " has a fanOut already; give no --cell/--fit");
        }
        return new SweepSpec(name, experiments, profile, cli, params, grid, seeds, random, samples, samplerSeed,
                fanOut != null ? fanOut : moreFanOut, source);
    }

    /** This sweep with another default profile (null: the command's). */
    public SweepSpec withProfile(String newProfile) {
        return new SweepSpec(name, experiments, newProfile, cliParams, params, grid, seeds, random, samples, samplerSeed, fanOut,
                source);
    }

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Reads a sweep file.
     * @throws UsageException naming the file and what is wrong (not YAML, unknown key, wrong shape)
     */
    public static SweepSpec read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("sweep file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new UsageException(file + " is not valid YAML: " + firstLine(e.getOriginalMessage()) + where);
        } catch (IOException e) {
            throw new UsageException("cannot read sweep file " + file + ": " + e.getMessage());
        }
        return of(root, file.toString());
    }

    /** A sweep from a parsed YAML/JSON tree; {@code source} names it in messages. */
    static SweepSpec of(JsonNode root, String source) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new UsageException(source + " is empty; it needs at least 'experiment:'");
        }
        if (!root.isObject()) {
            throw new UsageException(source + ": expected keys (" + String.join(", ", sorted(KEYS)) + "), found "
                    + root.getNodeType().name().toLowerCase());
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new UsageException(source + ": unknown key '" + k + "'; the keys are " + String.join(", ", sorted(KEYS)));
            }
        }
        if (root.has("experiment") == root.has("experiments")) {
            throw new UsageException(source + ": give exactly one of 'experiment: <id>' and 'experiments: [<id or glob>, ...]'");
        }
        List<String> experiments = root.has("experiment") ? List.of(scalar(root.get("experiment"), source, "experiment"))
                : texts(root.get("experiments"), source, "experiments", false);
        if (experiments.isEmpty()) {
            throw new UsageException(source + ": 'experiments' is empty");
        }
        Map<String, String> params = new LinkedHashMap<>();
        mapping(root.get("params"), source, "params").forEach((k, v) -> params.put(k, value(v, source, "params." + k)));
        Map<String, List<String>> grid = new LinkedHashMap<>();
        mapping(root.get("grid"), source, "grid").forEach((k, v) -> {
            if (!v.isArray() || v.isEmpty()) {
                throw new UsageException(source + ": grid axis '" + k + "' must be a non-empty list of values, e.g. [0.1, 0.01]");
            }
            List<String> values = new ArrayList<>();
            v.forEach(e -> values.add(value(e, source, "grid." + k)));
            grid.put(k, values);
        });
        List<String> seeds = new ArrayList<>();
        JsonNode seed = root.get("seed");
        if (seed != null) {
            if (seed.isArray()) {
                seeds.addAll(texts(seed, source, "seed", false));
                if (seeds.isEmpty()) {
                    throw new UsageException(source + ": 'seed' is an empty list");
                }
            } else {
                params.put("seed", scalar(seed, source, "seed"));
            }
        }
        for (String k : grid.keySet()) {
            if (params.containsKey(k) || (k.equals("seed") && !seeds.isEmpty())) {
                throw new UsageException(source + ": '" + k + "' is both fixed and a grid axis");
            }
        }
        Map<String, String> random = new LinkedHashMap<>();
        mapping(root.get("random"), source, "random").forEach((k, v) -> {
            if (params.containsKey(k) || grid.containsKey(k)) {
                throw new UsageException(source + ": '" + k + "' is both random and fixed or a grid axis");
            }
            random.put(k, scalar(v, source, "random." + k));
        });
        int samples = root.has("samples") ? integer(root.get("samples"), source, "samples") : 0;
        if (random.isEmpty() != (samples == 0)) {
            throw new UsageException(source + ": random search needs both 'random:' (distributions) and 'samples: N' (N >= 1)");
        }
        long samplerSeed = root.has("samplerSeed") ? integer(root.get("samplerSeed"), source, "samplerSeed") : 0;
        FanOut fanOut = root.hasNonNull("fanOut") ? fanOut(root.get("fanOut"), source) : null;
        String profile = root.has("profile") ? scalar(root.get("profile"), source, "profile") : null;
        String name = root.has("name") ? scalar(root.get("name"), source, "name") : null;
        return new SweepSpec(name, experiments, profile, Map.of(), params, grid, seeds, random, samples, samplerSeed, fanOut,
                source);
    }

    private static FanOut fanOut(JsonNode node, String source) {
        String shape = source + ": fanOut must be {cells: {<selector parameter>: <list parameter>, ...}, fit: <path parameter>}";
        if (!node.isObject() || !node.has("cells") || !node.has("fit") || node.size() != 2) {
            throw new UsageException(shape);
        }
        Map<String, String> cells = new LinkedHashMap<>();
        mapping(node.get("cells"), source, "fanOut.cells").forEach((k, v) -> cells.put(k, scalar(v, source, "fanOut.cells." + k)));
        if (cells.isEmpty()) {
            throw new UsageException(shape);
        }
        return new FanOut(cells, scalar(node.get("fit"), source, "fanOut.fit"));
    }

    private static Map<String, JsonNode> mapping(JsonNode node, String source, String key) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new UsageException(source + ": '" + key + "' must map parameter names to values");
        }
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** A parameter value as the text the parameter parses: a scalar, or a list joined by commas. */
    private static String value(JsonNode v, String source, String key) {
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(scalar(e, source, key)));
            return String.join(",", parts);
        }
        return scalar(v, source, key);
    }

    private static String scalar(JsonNode v, String source, String key) {
        if (v == null || v.isNull() || v.isContainerNode()) {
            throw new UsageException(source + ": '" + key + "' must be a single value");
        }
        return v.asText();
    }

    private static List<String> texts(JsonNode v, String source, String key, boolean allowScalar) {
        if (v.isArray()) {
            List<String> out = new ArrayList<>();
            v.forEach(e -> out.add(scalar(e, source, key)));
            return out;
        }
        if (allowScalar) {
            return List.of(scalar(v, source, key));
        }
        throw new UsageException(source + ": '" + key + "' must be a list, e.g. [a, b]");
    }

    private static int integer(JsonNode v, String source, String key) {
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
            throw new UsageException(source + ": '" + key + "' must be a whole number >= 0, got '" + v.asText() + "'");
        }
        return v.asInt();
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }
}
