package dlx.launcher.builtin;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;

/**
 * How long {@code dlx runs} takes to read a results folder of many runs: generates {@code runs}
 * realistic run folders (parameters, metrics, answers, a 50-point series, the environment block)
 * and times {@link RunIndex#scan} over them, best and median of {@code repeats}.
 */
public final class RunIndexBenchmark implements Experiment {
    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("platform.bench-run-index").title("dlx runs over a large results folder")
                .description("Generates a results folder of many runs and times reading it as 'dlx runs' does.")
                .param(ParamSpec.integer("runs", 10_000).quick(500).range(1, 1_000_000).help("run folders to generate"))
                .param(ParamSpec.integer("repeats", 5).quick(2).range(1, 100).help("timed scans"))
                .benchmark()
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        GeneratedStore.time(request, reporter, "scan", "read",
                store -> (int) RunIndex.scan(store).stream().filter(RunRecord::ok).count());
    }
}
