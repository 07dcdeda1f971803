package dlx.launcher.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Why a worker JVM ended, in words: its exit code, the signal that killed it, or what its crash report says. */
final class WorkerExit {
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL",
            6, "SIGABRT", 7, "SIGBUS", 8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

    private WorkerExit() { }

    /** E.g. "crashed (SIGSEGV (0xb) at pc=...; problematic frame: ...)", "was killed by signal 9 (SIGKILL: ...)", "exited with code 3". */
    static String describe(int exitCode, Path crashReport) {
        String crash = crash(crashReport);
        if (crash != null) {
            return "crashed: " + crash + " (crash report: " + FailedRuns.CRASH_REPORT + " in the run's folder)";
        }
        if (exitCode > 128 && exitCode < 160) {
            int signal = exitCode - 128;
            String name = SIGNALS.getOrDefault(signal, "signal " + signal);
            String hint = signal == 9 ? ": kill -9, or the kernel's out-of-memory killer" : "";
            return "was killed by signal " + signal + " (" + name + hint + ")";
        }
        return "exited with code " + exitCode + " (System.exit or Runtime.halt in plugin code?)";
    }

    /** The error line and problematic frame of a HotSpot crash report (hs_err_pid*.log), or null. */
    static String crash(Path report) {
        if (report == null || !Files.isRegularFile(report)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(report);
            String error = null;
            String frame = null;
            for (int i = 0; i < Math.min(lines.size(), 60); i++) {
                String l = lines.get(i);
                if (error == null && l.matches("#\\s+(SIG\\w+|EXCEPTION_\\w+|Internal Error|Out of Memory Error|There is insufficient).*")) {
                    error = l.substring(1).trim();
                }
                if (l.startsWith("# Problematic frame:") && i + 1 < lines.size()) {
                    frame = lines.get(i + 1).substring(1).trim();
                }
            }
            if (error == null) {
                return "the JVM wrote a crash report";
            }
            return frame == null ? error : error + "; problematic frame: " + frame;
        } catch (IOException | RuntimeException e) {
            return "the JVM wrote a crash report";
        }
    }
}
