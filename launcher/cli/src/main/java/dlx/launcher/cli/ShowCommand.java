package dlx.launcher.cli;

import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;
import dlx.engine.store.ResultStore;
import dlx.launcher.UsageException;
import dlx.launcher.records.Flat;
import dlx.launcher.records.RunQuery;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Prints one run: a run id (a unique prefix is enough), <experiment>/<run id>, or an experiment id (its latest run).")
final class ShowCommand implements Callable<Integer> {
    @Mixin
    ResultsOption results;

    @Parameters(paramLabel = "RUN", description = "run id, prefix, <experiment>/<run id> or experiment id")
    String ref;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RunRecord r = RunQuery.one(RunIndex.scan(results.dir), results.dir, ref);
        if (format.equals("json")) {
            out.println(Files.readString(r.dir().resolve("result.json")));
            out.flush();
            return 0;
        }
        if (!format.equals("text")) {
            throw new UsageException("--format must be text or json, got '" + format + "'");
        }
        var result = ResultStore.fromJson(ResultStore.json().readTree(r.dir().resolve("result.json").toFile()));
        out.println(r.experiment() + "  run " + r.runId() + "  " + r.status());
        out.println("folder: " + r.dir());
        if (r.error() != null) {
            out.println("error: " + r.error());
        }
        out.println("device: " + (r.device() == null ? "-" : r.device()));
        section(out, "parameters", Flat.of("", result.params()));
        section(out, "metrics", Flat.of("", result.metrics()));
        section(out, "answers", Flat.of("", result.answers()));
        section(out, "series (last value)", Flat.of("", r.seriesFinal()));
        section(out, "environment", Flat.of("", result.environment()));
        out.println("data sources:");
        for (var d : result.dataSources()) {
            out.println("  " + d.name() + "  " + d.origin().id() + "  " + d.location()
                    + (d.bytes() != null ? "  " + d.bytes() + " bytes" : "")
                    + (d.sha256() != null ? "  sha256 " + d.sha256() : "")
                    + (d.seed() != null ? "  seed " + d.seed() : ""));
        }
        out.println("files:");
        try (Stream<java.nio.file.Path> files = Files.list(r.dir())) {
            files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                    .forEach(n -> out.println("  " + n));
        }
        out.flush();
        return 0;
    }

    private static void section(PrintWriter out, String title, Map<String, String> values) {
        out.println(title + ":");
        int w = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        values.forEach((k, v) -> out.printf("  %-" + w + "s  %s%n", k, v));
    }
}
