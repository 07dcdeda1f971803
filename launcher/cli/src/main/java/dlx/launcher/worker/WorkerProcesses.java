package dlx.launcher.worker;

import java.io.IOException;
import java.util.List;

/** Starts helper JVMs of the launcher (the plugin probe) with its own command line, and names how they ended. */
public final class WorkerProcesses {
    private WorkerProcesses() { }

    /** A JVM running {@code main} of the launcher module; its standard output is piped, its error discarded. */
    public static Process start(Class<?> main, List<String> args, boolean inheritErr) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(WorkerCommand.of(null, main.getName(), args));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectError(inheritErr ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    /** "exited with code 5", "was killed by signal 9 (SIGKILL ...)". */
    public static String describeExit(int exitCode) {
        return WorkerExit.describe(exitCode, null);
    }
}
