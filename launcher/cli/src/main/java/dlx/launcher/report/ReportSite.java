package dlx.launcher.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;
import dlx.launcher.UsageException;
import dlx.launcher.records.RunQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code dlx report}: a results folder as a static site that opens from {@code file://} with no
 * network. The pages are fixed HTML and scripts shipped in the launcher (uPlot from its webjar);
 * everything a run holds reaches them as data files ({@code data/*.js}) and is put on the page as
 * text by the scripts, never as markup. PNGs, CSVs and logs are linked relatively where they are.
 *
 * <pre>
 * index.html run.html compare.html answers.html    the pages (run.html#&lt;token&gt;, compare.html#&lt;token&gt;,&lt;token&gt;)
 * assets/                                          styles, scripts, uPlot
 * data/index.js                                    every run's row (window.DLX_INDEX)
 * data/runs/&lt;experiment&gt;/&lt;xx&gt;.js                   page data of the runs whose names hash to xx (window.DLX_RUNS[token])
 * data/answers.js, data/compare.js, data/stamp.js  the answers page; the runs --compare chose; the build's stamp
 * </pre>
 *
 * A site object remembers what it wrote, so that {@link #build} again (as {@code --serve} does when
 * runs finish) rewrites only the data files whose runs' folders changed.
 */
public final class ReportSite {
    public static final String INDEX = ReportPage.INDEX.file();
    static final List<String> ASSETS = List.of("report.css", "report.js", "index-page.js", "run-page.js", "compare-page.js",
            "answers-page.js", "favicon.svg");
    private static final String UPLOT = "META-INF/resources/webjars/uplot/";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path results;
    private final Path out;
    private final Path shownOut;
    /** Run data files already written: file to the state of its runs (tokens, folder times), for rebuilds while serving. */
    private final Map<String, String> written = new ConcurrentHashMap<>();
    private boolean assetsWritten;
    private long builds;
    private List<String> compare = List.of();

    /** What a build wrote. {@code index} and {@code compare} as the user named the folder (for the closing line). */
    public record Summary(Path index, Path compare, int runs, int marked, double seconds) { }

    /** An entry of the results folder and its name in the report (addresses, data files). */
    private record Entry(RunRecord run, String token) { }

    public ReportSite(Path results, Path out) {
        this.results = results.toAbsolutePath().normalize();
        this.out = out.toAbsolutePath().normalize();
        this.shownOut = out;
        if (Files.exists(results) && !Files.isDirectory(results)) {
            throw new UsageException("results folder " + results + " is a file, not a folder");
        }
        if (!Files.isDirectory(results)) {
            throw new UsageException("no results folder " + results + ": make runs first, e.g. 'dlx run theory.normalization"
                    + " --profile quick' (or name the folder: dlx report DIR)");
        }
        if (this.results.startsWith(this.out)) {
            throw new UsageException("--out " + out + " would hold the results folder " + results
                    + "; give a folder of its own (default: " + results.resolve("report") + ")");
        }
    }

    /** The default: {@code <results>/report}. */
    public static ReportSite in(Path results) {
        return new ReportSite(results, results.resolve("report"));
    }

    public Path out() {
        return out;
    }

    public Path results() {
        return results;
    }

    /** Builds with the comparison of the last build (none at first). */
    public Summary build() {
        return build(compare);
    }

    /**
     * Writes the site. {@code compare}: run references ({@code dlx compare}'s: id prefix,
     * {@code <experiment>/<run id>}, experiment id) that compare.html shows when opened without a selection;
     * later {@link #build()}s keep them.
     * @throws UsageException (exit 2) when the output folder cannot be written or a reference names no run
     */
    public synchronized Summary build(List<String> compare) {
        long t0 = System.nanoTime();
        prepareOut();
        List<RunRecord> all = RunIndex.scan(results).stream().filter(r -> !r.dir().toAbsolutePath().normalize().startsWith(out))
                .toList();
        List<RunRecord> compared = compare.stream().map(ref -> RunQuery.one(all, results, ref)).toList();
        this.compare = List.copyOf(compare);
        try {
            if (!assetsWritten) {
                writeAssets();
                assetsWritten = true;
            }
            List<Entry> entries = entries(all);
            writeRuns(entries);
            ArrayNode rows = JsonNodeFactory.instance.arrayNode();
            entries.forEach(e -> rows.add(RunData.row(e.run(), e.token())));
            ObjectNode index = JsonNodeFactory.instance.objectNode();
            index.put("results", results.toString());
            index.put("generated", Instant.now().toString());
            index.set("runs", rows);
            ScriptData.write(out.resolve("data/index.js"), ScriptData.assign("DLX_INDEX", index));
            ScriptData.write(out.resolve("data/answers.js"), ScriptData.assign("DLX_ANSWERS", answers(entries)));
            ArrayNode chosen = JsonNodeFactory.instance.arrayNode();
            compared.forEach(r -> entries.stream().filter(e -> e.run() == r).findFirst().ifPresent(e -> chosen.add(e.token())));
            ScriptData.write(out.resolve("data/compare.js"), ScriptData.assign("DLX_COMPARE", chosen));
            builds++;
            ScriptData.write(out.resolve("data/stamp.js"), ScriptData.assign("DLX_STAMP",
                    JsonNodeFactory.instance.textNode(builds + "-" + System.nanoTime())));
        } catch (IOException e) {
            throw cannotWrite(e);
        } catch (UncheckedIOException e) {
            throw cannotWrite(e.getCause());
        }
        int marked = (int) all.stream().filter(r -> !r.ok()).count();
        return new Summary(shownOut.resolve(INDEX), compared.isEmpty() ? null : shownOut.resolve(ReportPage.COMPARE.file()),
                all.size() - marked, marked, (System.nanoTime() - t0) / 1e9);
    }

    /** The output folder exists and takes files (checked before anything is read). */
    private void prepareOut() {
        try {
            Files.createDirectories(out.resolve("data/runs"));
            Files.createDirectories(out.resolve("assets"));
            Path probe = Files.createTempFile(out, ".write-test-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw cannotWrite(e);
        }
    }

    private UsageException cannotWrite(Exception e) {
        return new UsageException("cannot write the report to " + shownOut + ": " + e.getClass().getSimpleName() + ": "
                + e.getMessage() + " (choose a writable folder with --out DIR)");
    }

    /**
     * A name for each entry, used in page addresses and data file names: {@code <experiment>/<run id>}
     * (the folder's names) when both are plain names, else {@code _/<digest of the path>}.
     */
    private List<Entry> entries(List<RunRecord> all) {
        List<Entry> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (RunRecord r : all) {
            Path dir = r.dir().toAbsolutePath().normalize();
            String token = null;
            if (r.ok() || (dir.getNameCount() == results.getNameCount() + 2 && dir.startsWith(results) && Files.isDirectory(dir))) {
                String exp = dir.getParent().getFileName().toString();
                String run = dir.getFileName().toString();
                if (SAFE.matcher(exp).matches() && SAFE.matcher(run).matches()) {
                    token = exp + "/" + run;
                }
            }
            if (token == null || !used.add(token)) {
                token = "_/" + digest(dir + "\n" + r.problem());
                used.add(token);
            }
            out.add(new Entry(r, token));
        }
        return out;
    }

    /**
     * Each run's page data, in parallel. Runs share files ({@code data/runs/<experiment>/<xx>.js}, see
     * {@link #chunk}): 10,000 runs are about a thousand files, not ten thousand, and a page finds its
     * run's file from the run's name alone. While serving, only the files whose runs changed since the
     * last build are written again.
     */
    private void writeRuns(List<Entry> entries) throws IOException {
        Map<String, List<Entry>> chunks = new LinkedHashMap<>();
        entries.forEach(e -> chunks.computeIfAbsent(chunk(e.token()), c -> new ArrayList<>()).add(e));
        chunks.entrySet().parallelStream().forEach(e -> {
            StringBuilder state = new StringBuilder();
            for (Entry run : e.getValue()) {
                // a running run's log grows without touching its folder: its file is always written again
                RunRecord r = run.run();
                state.append(run.token()).append(' ').append("running".equals(r.status()) ? System.nanoTime() : modified(r.dir()))
                        .append('\n');
            }
            if (state.toString().equals(written.get(e.getKey()))) {
                return;
            }
            StringBuilder js = new StringBuilder();
            for (Entry run : e.getValue()) {
                String href = RunData.href(out.relativize(run.run().dir().toAbsolutePath().normalize()));
                js.append(ScriptData.put("DLX_RUNS", run.token(), RunData.page(run.run(), run.token(), href)));
            }
            Path file = out.resolve("data/runs/" + e.getKey() + ".js");
            try {
                Files.createDirectories(file.getParent());
                ScriptData.write(file, js.toString());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            written.put(e.getKey(), state.toString());
        });
        // files of runs that are gone (or of an earlier report in this folder)
        try (Stream<Path> files = Files.walk(out.resolve("data/runs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = out.resolve("data/runs").relativize(f).toString().replace('\\', '/');
                if (!name.endsWith(".js") || !chunks.containsKey(name.substring(0, name.length() - 3))) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * The file of a run: {@code <experiment>/<xx>}, xx the low byte of the 32-bit FNV-1a hash of the
     * run's name in hex (report.js computes the same), so that up to 256 files share an experiment's
     * runs evenly whatever their names.
     */
    static String chunk(String token) {
        int slash = token.indexOf('/');
        int h = 0x811c9dc5;
        for (int i = slash + 1; i < token.length(); i++) {
            h ^= token.charAt(i);
            h *= 0x01000193;
        }
        return token.substring(0, slash + 1) + String.format("%02x", h & 0xff);
    }

    /**
     * The answers page: for each experiment whose runs recorded numerical checks, its newest run's
     * answers and checks (the index is newest first).
     */
    private static ArrayNode answers(List<Entry> entries) {
        Map<String, ObjectNode> byExperiment = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        entries.forEach(e -> {
            RunRecord r = e.run();
            if (!r.ok()) {
                return;
            }
            counts.merge(r.experiment(), 1, Integer::sum);
            ArrayNode checks = RunData.checks(r.metrics(), r.status(), r.error());
            if (checks.isEmpty() || byExperiment.containsKey(r.experiment())) {
                return;
            }
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("experiment", r.experiment());
            n.put("runId", r.runId());
            n.put("token", e.token());
            n.put("status", r.status());
            n.put("started", r.started());
            n.put("error", r.error());
            n.set("answers", ResultStore.json().valueToTree(r.answers()));
            n.set("checks", checks);
            byExperiment.put(r.experiment(), n);
        });
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        byExperiment.keySet().stream().sorted().forEach(x -> out.add(byExperiment.get(x).put("runs", counts.get(x))));
        return out;
    }

    private void writeAssets() throws IOException {
        byte[] template = resource(ReportPage.TEMPLATE);
        for (ReportPage page : ReportPage.values()) {
            ScriptData.write(out.resolve(page.file()), page.render(template));
        }
        for (String asset : ASSETS) {
            ScriptData.write(out.resolve("assets").resolve(asset), resource(asset));
        }
        String uplot = UPLOT + uplotVersion() + "/";
        ScriptData.write(out.resolve("assets/uPlot.iife.min.js"), webjar(uplot + "dist/uPlot.iife.min.js"));
        ScriptData.write(out.resolve("assets/uPlot.min.css"), webjar(uplot + "dist/uPlot.min.css"));
        ScriptData.write(out.resolve("assets/uPlot.LICENSE.txt"), webjar(uplot + "LICENSE"));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ReportSite.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the launcher is missing its report resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** The uPlot version of the webjar on the module path (its Maven properties), so that no version is written twice. */
    static String uplotVersion() throws IOException {
        Properties p = new Properties();
        p.load(new java.io.ByteArrayInputStream(webjar("META-INF/maven/org.webjars.npm/uplot/pom.properties")));
        return p.getProperty("version");
    }

    private static byte[] webjar(String path) throws IOException {
        // META-INF is not a package: readable from any module through the class loader.
        try (InputStream in = ReportSite.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("uPlot (org.webjars.npm:uplot) is not on the module path: " + path);
            }
            return in.readAllBytes();
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return null;
        }
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
