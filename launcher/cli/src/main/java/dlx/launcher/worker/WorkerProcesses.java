package dlx.launcher.worker;

import dlx.engine.config.PlatformConfig;
import dlx.launcher.UsageException;
import java.io.IOException;
import java.util.List;

/** Whether runs and discovery are guarded by other JVMs; starts those (the plugin probe) with the launcher's command line. */
public final class WorkerProcesses {
    private WorkerProcesses() { }

    /**
     * True when dlx runs from its distribution ({@code bin/dlx} sets {@code dlx.home}: a worker can
     * be started with the same command line) and the {@code worker} key is true ({@code -Ddlx.worker=false} /
     * {@code DLX_WORKER=false}: experiments run in the launcher process, unprotected).
     */
    public static boolean enabled(PlatformConfig config) {
        if (config.get(PlatformConfig.HOME.name()).isEmpty()) {
            return false;
        }
        try {
            return config.worker();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

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
