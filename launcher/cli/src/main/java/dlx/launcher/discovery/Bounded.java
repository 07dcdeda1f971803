package dlx.launcher.discovery;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs plugin code that should answer at once (a constructor, a Guice module, a spec) in a daemon
 * thread with a time limit, so that a plugin that hangs is reported by name and skipped instead of
 * hanging every command.
 */
public final class Bounded {
    private Bounded() { }

    /** The value, or the callable's own exception; {@link TimeoutException} when it did not answer in time. */
    public static <T> T call(Callable<T> code, Duration limit, ClassLoader contextLoader) throws Exception {
        FutureTask<T> task = new FutureTask<>(code);
        Thread t = new Thread(task, "dlx-plugin-code");
        t.setDaemon(true);
        t.setContextClassLoader(contextLoader);
        t.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (TimeoutException e) {
            t.interrupt();
            throw new TimeoutException("did not answer within " + limit.toMillis() / 1000.0 + " s");
        }
    }
}
