package dlx.launcher.builtin;

import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.store.ResultStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A results folder of many generated, realistic runs, and the timing loop the platform's benchmarks
 * run over it: generate, time the operation {@code repeats} times, report best and median, delete.
 */
final class GeneratedStore {
    /** What is timed: reads the folder and answers how many runs it saw (checked against those generated). */
    @FunctionalInterface
    interface Operation {
        int runsSeen(Path store) throws IOException;
    }

    private GeneratedStore() { }

    /**
     * Times {@code operation} over {@code runs} generated runs; series {@code <name>Seconds}, metrics
     * {@code best<Name>Seconds}, {@code median<Name>Seconds}, {@code runsPerSecond}, {@code generatedRuns}.
     */
    static void time(RunRequest request, RunReporter reporter, String name, String done, Operation operation)
            throws IOException {
        int runs = request.params().integer("runs");
        Path store = Files.createTempDirectory(request.outputDir(), "store-");
        try {
            generate(store, runs, new Random(request.seed()), reporter);
            double[] seconds = new double[request.params().integer("repeats")];
            for (int i = 0; i < seconds.length; i++) {
                long t0 = System.nanoTime();
                int seen = operation.runsSeen(store);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                if (seen != runs) {
                    throw new IllegalStateException(name + " saw " + seen + " of " + runs + " generated runs");
                }
                reporter.series(name + "Seconds").add(i, seconds[i]);
            }
            Arrays.sort(seconds);
            String title = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            reporter.metric("generatedRuns", runs);
            reporter.metric("best" + title + "Seconds", seconds[0]);
            reporter.metric("median" + title + "Seconds", seconds[seconds.length / 2]);
            reporter.metric("runsPerSecond", runs / seconds[0]);
            reporter.log(String.format(Locale.ROOT, "%d runs %s in %.3f s (best of %d; median %.3f s)", runs, done,
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
