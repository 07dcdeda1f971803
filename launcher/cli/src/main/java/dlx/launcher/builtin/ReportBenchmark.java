package dlx.launcher.builtin;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.launcher.report.ReportSite;

/**
 * How long {@code dlx report} takes over a large results folder: generates {@code runs} run
 * folders as {@link GeneratedStore} does and times a fresh build of the site (index, one data
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
        // a new site each time: the first build of a folder, with nothing to reuse
        GeneratedStore.time(request, reporter, "build", "shown in a report built",
                store -> ReportSite.in(store).build().runs());
    }
}
