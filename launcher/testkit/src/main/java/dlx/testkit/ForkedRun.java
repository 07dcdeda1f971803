package dlx.testkit;

import dlx.api.Experiment;
import dlx.engine.ExperimentResult;
import dlx.engine.store.ResultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an experiment's quick profile in a fresh JVM (this JVM's class path, the same system
 * properties of DJL and dlx) and reads its {@code result.json} back: for tests that two processes
 * compute the same numbers, which one process cannot show (memory layout, hash seeds, when the
 * garbage collector runs and what the engines initialise all differ between processes).
 */
public final class ForkedRun {
    private static final String RESULT_LINE = "dlx-forked-result ";

    private ForkedRun() { }

    /** Runs {@code type}'s quick profile with {@code params} in a fresh JVM, results under {@code resultsDir}. */
    public static ExperimentResult quick(Class<? extends Experiment> type, Map<String, ?> params, Path resultsDir,
                                         long timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx2g");
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("ai.djl.") || k.startsWith("dlx.") || k.startsWith("org.bytedeco."))
                .sorted().forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ForkedRun.class.getName());
        command.add(type.getName());
        command.add(resultsDir.toString());
        params.forEach((k, v) -> command.add(k + "=" + v));
        try {
            Path log = Files.createTempFile("dlx-forked-", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the forked run of " + type.getName() + " took longer than " + timeoutSeconds
                        + " s; its output: " + tail(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            int at = output.lastIndexOf(RESULT_LINE);
            if (p.exitValue() != 0 || at < 0) {
                throw new AssertionError("the forked run of " + type.getName() + " exited with " + p.exitValue()
                        + " without a result; its output: " + output.substring(Math.max(0, output.length() - 4000)));
            }
            Path result = Path.of(output.substring(at + RESULT_LINE.length()).strip().lines().findFirst().orElseThrow());
            return ResultStore.fromJson(ResultStore.json().readTree(result.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the forked run", e);
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.substring(Math.max(0, s.length() - 4000));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** {@code <experiment class> <results folder> [name=value ...]}: runs the quick profile, prints where its result is. */
    public static void main(String[] args) throws Exception {
        Experiment experiment = ExperimentTestKit.create(Class.forName(args[0]).asSubclass(Experiment.class));
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            params.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        ExperimentTestKit kit = ExperimentTestKit.quick(experiment).params(params).in(Path.of(args[1])).rerun();
        kit.run();
        kit.log().forEach(System.out::println);
        System.out.println(RESULT_LINE + kit.outputDir().resolve("result.json"));
        System.exit(0);
    }
}
