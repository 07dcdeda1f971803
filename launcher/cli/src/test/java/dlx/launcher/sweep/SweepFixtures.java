package dlx.launcher.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Params;
import dlx.api.Plugin;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.LauncherModule;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.discovery.Discovery;
import dlx.launcher.discovery.LoadedPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** Experiments with parameters of every kind, and a study that fans out, in a catalogue built as discovery builds it. */
final class SweepFixtures {
    private SweepFixtures() { }

    /** Parameters of every type a grid can walk. */
    public static final class Train implements Experiment {
        public ExperimentSpec spec() {
            return ExperimentSpec.builder("demo.train").title("train")
                    .param(ParamSpec.decimal("learningRate", 0.01).range(1e-6, 1).help("lr"))
                    .param(ParamSpec.integer("batchSize", 50).range(1, 1000).help("batch"))
                    .param(ParamSpec.list("dims", ParamType.INT_LIST, "8,16").min(1).help("widths"))
                    .param(ParamSpec.string("caption", "a cat").help("text"))
                    .param(ParamSpec.choice("model", "mlp", "mlp", "cnn").help("model"))
                    .build();
        }

        public void run(RunRequest request, RunReporter reporter) {
            Params p = request.params();
            reporter.metric("score", p.decimal("learningRate") * p.integer("batchSize") + p.seed());
        }
    }

    /** Declares learningRate too, but not batchSize. */
    public static final class Other implements Experiment {
        public ExperimentSpec spec() {
            return ExperimentSpec.builder("demo.other").title("other")
                    .param(ParamSpec.decimal("learningRate", 0.1).range(1e-6, 1).help("lr")).build();
        }

        public void run(RunRequest request, RunReporter reporter) {
            reporter.metric("score", request.params().decimal("learningRate"));
        }
    }

    /**
     * A study in the shape of nmt.isoflop: a grid of cells (x in xs, scale in scales), each cell's
     * value y = scale * x^2 + seed; {@code onlyX}/{@code onlyScale} compute one part, {@code fitFrom}
     * computes nothing and reads the cells of the same configuration from a results folder; the
     * whole study fits y against x^2 by least squares per scale and reports the slopes.
     */
    public static final class Study implements Experiment {
        public ExperimentSpec spec() {
            return ExperimentSpec.builder("demo.study").title("study")
                    .param(ParamSpec.list("xs", ParamType.INT_LIST, "1,2,3").min(1).help("x values"))
                    .param(ParamSpec.list("scales", ParamType.DOUBLE_LIST, "0.5,2").min(0.1).help("scales"))
                    .param(ParamSpec.integer("onlyX", 0).min(0).help("only this x (0: all)"))
                    .param(ParamSpec.decimal("onlyScale", 0).min(0).help("only this scale (0: all)"))
                    .param(ParamSpec.path("fitFrom").help("fit from the cells in this results folder"))
                    .build();
        }

        public void run(RunRequest request, RunReporter reporter) throws Exception {
            Params p = request.params();
            List<double[]> cells = new ArrayList<>(); // x, scale, y
            if (p.path("fitFrom").isPresent()) {
                ObjectMapper json = new ObjectMapper();
                try (Stream<Path> runs = Files.list(p.path("fitFrom").get().resolve("demo.study"))) {
                    for (Path dir : runs.filter(d -> !Files.isSymbolicLink(d) && Files.isRegularFile(d.resolve("result.json"))).toList()) {
                        JsonNode r = json.readTree(dir.resolve("result.json").toFile());
                        if (r.path("answers").has("cells") && r.path("params").path("onlyX").asInt() != 0) {
                            r.path("answers").path("cells").forEach(c -> cells.add(new double[] {c.get(0).asDouble(),
                                    c.get(1).asDouble(), c.get(2).asDouble()}));
                        }
                    }
                }
            } else {
                for (double scale : p.doubleList("scales")) {
                    for (int x : p.intList("xs")) {
                        if ((p.integer("onlyX") == 0 || p.integer("onlyX") == x)
                                && (p.decimal("onlyScale") == 0 || p.decimal("onlyScale") == scale)) {
                            cells.add(new double[] {x, scale, scale * x * x + p.seed()});
                        }
                    }
                }
            }
            reporter.answer("cells", cells.stream().map(c -> List.of(c[0], c[1], c[2])).toList());
            if (p.integer("onlyX") != 0 || p.decimal("onlyScale") != 0) {
                return;
            }
            for (double scale : p.doubleList("scales")) {
                // least squares of y on x^2 with an intercept: the slope is the scale
                double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
                for (double[] c : cells) {
                    if (c[1] == scale) {
                        double u = c[0] * c[0];
                        n++; sx += u; sy += c[2]; sxx += u * u; sxy += u * c[2];
                    }
                }
                reporter.answer("slope", dlx.api.Labels.of("scale", Double.toString(scale)), (n * sxy - sx * sy) / (n * sxx - sx * sx));
                reporter.metric("cellsFitted", dlx.api.Labels.of("scale", Double.toString(scale)), n);
            }
        }
    }

    static Catalog catalog() {
        Plugin plugin = new Plugin() {
            public String name() { return "demo"; }
            public List<Class<? extends Experiment>> experiments() { return List.of(Train.class, Other.class, Study.class); }
        };
        return new Catalog(new Discovery(Path.of("plugins"), List.of(new LoadedPlugin(plugin, Path.of("demo.jar"), null,
                List.of())), List.of()), injector());
    }

    static Injector injector() {
        return Guice.createInjector(new LauncherModule(new PlatformConfig(Map.of(), new Properties())));
    }
}
