package dlx.launcher.builtin;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunIndex;
import dlx.engine.store.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

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
        int runs = request.params().integer("runs");
        Path store = Files.createTempDirectory(request.outputDir(), "store-");
        try {
            generate(store, runs, new Random(request.seed()), reporter);
            double[] seconds = new double[request.params().integer("repeats")];
            int found = 0;
            for (int i = 0; i < seconds.length; i++) {
                long t0 = System.nanoTime();
                List<RunRecord> all = RunIndex.scan(store);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                found = (int) all.stream().filter(RunRecord::ok).count();
                reporter.series("scanSeconds").add(i, seconds[i]);
            }
            if (found != runs) {
                throw new IllegalStateException("the index read " + found + " of " + runs + " generated runs");
            }
            Arrays.sort(seconds);
            reporter.metric("generatedRuns", runs);
            reporter.metric("bestScanSeconds", seconds[0]);
            reporter.metric("medianScanSeconds", seconds[seconds.length / 2]);
            reporter.metric("runsPerSecond", runs / seconds[0]);
            reporter.log(String.format(java.util.Locale.ROOT, "%d runs read in %.3f s (best of %d; median %.3f s)", runs,
                    seconds[0], seconds.length, seconds[seconds.length / 2]));
        } finally {
            try (Stream<Path> walk = Files.walk(store)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void generate(Path store, int runs, Random random, RunReporter reporter) throws IOException {
        String[] experiments = {"vision.mlp-scratch", "vision.batch-size", "nmt.attention", "theory.nqm-batch-size"};
        try (Progress progress = reporter.progress("generate", runs)) {
            for (int i = 0; i < runs; i++) {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("profile", "full");
                params.put("seed", 1 + i % 3);
                params.put("epochs", 5 + i % 20);
                params.put("learningRate", Math.pow(10, -1 - random.nextInt(4)));
                params.put("batchSize", List.of(5, 50, 500).get(i % 3));
                List<double[]> loss = new ArrayList<>();
                for (int e = 0; e < 50; e++) {
                    loss.add(new double[] {e, 2.3 * Math.exp(-e / 10.0) + random.nextDouble() * 0.01});
                }
                Map<String, Object> env = new LinkedHashMap<>();
                env.put("dlxVersion", "0.1.0");
                env.put("java", Map.of("vendor", "Debian", "version", "17.0.15"));
                env.put("cpu", Map.of("model", "generated", "cores", 2));
                env.put("startedUtc", java.time.Instant.ofEpochSecond(1_790_000_000L + i).toString());
                String id = String.format("%012x", i);
                String exp = experiments[i % experiments.length];
                ExperimentResult r = new ExperimentResult(exp, "generated", Status.OK, null, params,
                        Map.of("testAccuracy", 0.7 + random.nextDouble() * 0.2, "durationSeconds", 10 * random.nextDouble()),
                        Map.of("bestEpoch", random.nextInt(20), "accuracy", Map.of("mlp", 0.8)), Map.of("trainLoss", loss),
                        List.of("trainLoss.csv"), "cpu", id, env);
                ResultStore.write(r, store.resolve(exp).resolve(id).resolve("result.json"));
                progress.step();
            }
        }
    }
}
