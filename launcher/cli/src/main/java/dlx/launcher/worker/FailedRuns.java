package dlx.launcher.worker;

import dlx.api.Params;
import dlx.engine.ExperimentResult;
import dlx.engine.ExperimentRunner;
import dlx.engine.Status;
import dlx.engine.store.Environment;
import dlx.engine.store.ResultStore;
import dlx.engine.store.RunFolder;
import dlx.engine.store.RunLog;
import dlx.launcher.catalog.Catalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the result of a run whose worker could not: it died, or was stopped at the time limit or
 * after a cancel it did not answer. Same contract as any failed run ({@code result.json} with
 * status and error, {@code run.log}, {@code latest}); the error ends with the last lines of the
 * run's log. An earlier {@code ok} result of the run id is never replaced: the failure then goes
 * to {@code attempts/<UTC time>-failed/}.
 */
final class FailedRuns {
    static final String CRASH_REPORT = "hs_err.log";
    private static final int TAIL = 10;

    private FailedRuns() { }

    static ExperimentResult record(Catalog.Entry entry, Params params, Path outRoot, Status status, String reason,
                                   double seconds, Path crashReport, java.util.function.Consumer<String> log) {
        String id = entry.id();
        RunFolder folder = new RunFolder(outRoot, id, ExperimentRunner.runId(entry.experiment(), params).value());
        List<String> artifacts = new ArrayList<>();
        String tail = tail(folder.dir().resolve(RunLog.FILE));
        String error = reason + (tail.isEmpty() ? "" : "\nlast lines of " + RunLog.FILE + ":\n" + tail);
        Map<String, Object> environment = new LinkedHashMap<>(Environment.capture(entry.experiment().getClass(),
                entry.plugin().plugin().version(), System.getenv()));
        environment.put("endedUtc", Instant.now().toString());
        environment.put("recordedBy", "supervisor");
        Map<String, Double> metrics = Map.of("durationSeconds", seconds);
        ExperimentResult result = new ExperimentResult(id, entry.plugin().name(), status, error, params.asMap(), metrics,
                Map.of(), Map.of(), artifacts, "unknown (the worker JVM ended before the run did)", folder.runId(), environment);
        RunFolder.Lock lock;
        try {
            lock = folder.lock();
        } catch (RunFolder.LockedException e) {
            log.accept("[" + id + "] " + status.id() + ": " + reason + "; not recorded: the run is " + e.getMessage());
            return result;
        }
        try (lock) {
            folder.cleanLeftovers();
            Path target = folder.resultFile();
            if (folder.finishedOk()) {
                target = folder.dir().resolve(RunFolder.ATTEMPTS).resolve(Instant.now().toString().replace(":", "") + "-failed")
                        .resolve(RunFolder.RESULT);
                log.accept("[" + id + "] the earlier ok result of run " + folder.runId() + " is kept; this attempt is in "
                        + target.getParent());
            }
            Files.createDirectories(target.getParent());
            Path runLog = folder.dir().resolve(RunLog.FILE);
            Files.writeString(runLog, status.id() + " (recorded by the supervisor): " + reason + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            artifacts.add(RunLog.FILE);
            if (crashReport != null && Files.isRegularFile(crashReport)) {
                Files.copy(crashReport, target.getParent().resolve(CRASH_REPORT), StandardCopyOption.REPLACE_EXISTING);
                artifacts.add(CRASH_REPORT);
            }
            result = new ExperimentResult(id, entry.plugin().name(), status, error, params.asMap(), metrics, Map.of(), Map.of(),
                    artifacts, result.device(), folder.runId(), environment);
            ResultStore.write(result, target);
            if (target.equals(folder.resultFile())) {
                folder.markLatest();
            }
        } catch (IOException | RuntimeException e) {
            log.accept("[" + id + "] could not write the result of run " + folder.runId() + ": " + e.getMessage());
        }
        return result;
    }

    /** The last lines of a file, or "" when there is none. */
    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
