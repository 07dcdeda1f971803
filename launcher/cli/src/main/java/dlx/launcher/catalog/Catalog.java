package dlx.launcher.catalog;

import com.google.inject.Injector;
import dlx.api.Experiment;
import dlx.engine.ExperimentRunner;
import dlx.launcher.UsageException;
import dlx.launcher.discovery.Bounded;
import dlx.launcher.discovery.Discovery;
import dlx.launcher.discovery.LoadedPlugin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The experiments of all loaded plugins by id. Experiments are created by Guice: the platform's
 * injector with a child injector per plugin holding the Guice modules its layer provides. An id offered by two plugins is reported, naming both jars, and
 * is not runnable; a plugin whose experiments cannot be created is reported and skipped.
 */
public final class Catalog {

    /** One runnable experiment and the plugin it comes from. */
    public record Entry(Experiment experiment, LoadedPlugin plugin) {
        public String id() {
            return experiment.spec().id();
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, String> conflicts = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    public Catalog(Discovery discovery, Injector root) {
        this(discovery, root, java.time.Duration.ofSeconds(20));
    }

    /** {@code timeout}: how long creating one experiment (constructor, spec) may take. */
    public Catalog(Discovery discovery, Injector root, java.time.Duration timeout) {
        problems.addAll(discovery.problems());
        Map<String, List<Entry>> byId = new LinkedHashMap<>();
        for (LoadedPlugin lp : discovery.plugins()) {
            try {
                Injector injector = root.createChildInjector(lp.modules());
                List<Entry> created = new ArrayList<>();
                for (Class<? extends Experiment> type : lp.plugin().experiments()) {
                    // plugin code (a constructor, spec()) runs bounded: a hang is reported, not waited for
                    Experiment e = Bounded.call(() -> {
                        Experiment x = injector.getInstance(type);
                        x.spec();
                        return x;
                    }, timeout, lp.plugin().getClass().getClassLoader());
                    created.add(new Entry(e, lp));
                }
                created.forEach(e -> byId.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e));
            } catch (java.util.concurrent.TimeoutException e) {
                problems.add(lp.jar().getFileName() + ": plugin '" + lp.name() + "' " + e.getMessage()
                        + " while creating its experiments; skipped");
            } catch (Exception | LinkageError e) {
                problems.add(lp.jar().getFileName() + ": plugin '" + lp.name() + "' could not create its experiments: "
                        + ExperimentRunner.describe(e));
            }
        }
        byId.forEach((id, list) -> {
            if (list.size() == 1) {
                entries.put(id, list.get(0));
            } else {
                String where = String.join(" and ", list.stream().map(e -> e.plugin().jar().getFileName() + " (plugin "
                        + e.plugin().name() + ")").toList());
                conflicts.put(id, where);
                problems.add("experiment id '" + id + "' is offered by " + where + "; it is not runnable until one is removed");
            }
        });
    }

    public List<Entry> all() {
        return List.copyOf(entries.values());
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Experiments matching an id, a glob ({@code theory.*}, {@code *.ridge-?}) or {@code all}.
     * @throws UsageException naming the closest ids when nothing matches
     */
    public List<Entry> select(String selector) {
        return select(selector, false);
    }

    /**
     * As {@link #select(String)}; {@code all} and globs match benchmarks only when
     * {@code benchmarks} is true and studies only when it is false. An exact id matches either.
     */
    public List<Entry> select(String selector, boolean benchmarks) {
        if (conflicts.containsKey(selector)) {
            throw new UsageException("experiment id '" + selector + "' is offered by " + conflicts.get(selector));
        }
        if (selector.equals("all")) {
            List<Entry> matched = all().stream().filter(e -> e.experiment().spec().benchmark() == benchmarks).toList();
            if (matched.isEmpty()) {
                throw new UsageException("no " + (benchmarks ? "benchmarks" : "experiments") + " are installed; 'dlx list' shows all ids");
            }
            return matched;
        }
        if (!selector.contains("*") && !selector.contains("?")) {
            Entry e = entries.get(selector);
            if (e == null) {
                throw new UsageException("unknown experiment '" + selector + "'" + suggestions(selector)
                        + "; 'dlx list' shows all ids");
            }
            return List.of(e);
        }
        Pattern glob = glob(selector);
        List<Entry> matched = entries.values().stream()
                .filter(e -> e.experiment().spec().benchmark() == benchmarks && glob.matcher(e.id()).matches()).toList();
        if (matched.isEmpty()) {
            throw new UsageException("no experiment matches '" + selector + "'; 'dlx list' shows all ids");
        }
        return matched;
    }

    /** A glob as a regular expression: {@code *} any text, {@code ?} one character, everything else literal. */
    public static Pattern glob(String selector) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : selector.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString());
    }

    private String suggestions(String wrong) {
        List<String> close = entries.keySet().stream()
                .sorted(Comparator.comparingInt((String id) -> distance(wrong, id)))
                .filter(id -> distance(wrong, id) <= Math.max(3, wrong.length() / 2) || id.contains(wrong))
                .limit(3).toList();
        return close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?";
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
