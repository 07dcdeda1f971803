package dlx.launcher.worker;

import java.util.function.IntConsumer;

/**
 * SIGINT and SIGTERM in the worker cancel the current run instead of ending the JVM (which would
 * leave the run without a result); the worker then reports and exits by itself. Where the JVM
 * does not let a handler be installed (e.g. {@code -Xrs}), the default stays.
 */
final class Signals {
    private Signals() { }

    static void onInterrupt(IntConsumer handler) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.accept(s.getNumber()));
            } catch (IllegalArgumentException | UnsupportedOperationException ignored) {
                // this signal keeps its default action
            }
        }
    }
}
