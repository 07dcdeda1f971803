package dlx.launcher.builtin;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.launcher.report.ReportSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * How long {@code dlx report} takes over a large results folder: generates {@code runs} run
 * folders as {@link RunIndexBenchmark} does and times a fresh build of the site (index, one data
 * file per run, answers page), best and median of {@code repeats}.
 */
public final class ReportBenchmark implements Experiment {
    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("platform.bench-report").title("dlx report over a large results folder")
                .description("Generates a results folder of many runs and times building its report, as 'dlx report' does.")
                .param(ParamSpec.integer("runs", 10_000).quick(300).range(1, 1_000_000).help("run folders to generate"))
                .param(ParamSpec.integer("repeats", 3).quick(2).range(1, 100).help("timed builds"))
                .benchmark()
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        int runs = request.params().integer("runs");
        Path store = Files.createTempDirectory(request.outputDir(), "store-");
        try {
            RunIndexBenchmark.generate(store, runs, new Random(request.seed()), reporter);
            double[] seconds = new double[request.params().integer("repeats")];
            for (int i = 0; i < seconds.length; i++) {
                // a new site each time: the first build of a folder, with nothing to reuse
                long t0 = System.nanoTime();
                ReportSite.Summary s = ReportSite.in(store).build();
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                if (s.runs() != runs) {
                    throw new IllegalStateException("the report shows " + s.runs() + " of " + runs + " generated runs");
                }
                reporter.series("buildSeconds").add(i, seconds[i]);
            }
            Arrays.sort(seconds);
            reporter.metric("generatedRuns", runs);
            reporter.metric("bestBuildSeconds", seconds[0]);
            reporter.metric("medianBuildSeconds", seconds[seconds.length / 2]);
            reporter.metric("runsPerSecond", runs / seconds[0]);
            reporter.log(String.format(Locale.ROOT, "report of %d runs built in %.3f s (best of %d; median %.3f s)", runs,
                    seconds[0], seconds.length, seconds[seconds.length / 2]));
        } finally {
            try (Stream<Path> walk = Files.walk(store)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
