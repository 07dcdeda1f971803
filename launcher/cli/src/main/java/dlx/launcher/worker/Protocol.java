package dlx.launcher.worker;

/**
 * The messages of the control channel ({@link Channel}); each is a JSON object with {@code type}.
 * <pre>
 * worker -> supervisor: ready {pid, token}        after discovery, once per worker
 *                       started {runId, dir}      a run began (its folder is locked)
 *                       meters {meters: [...]}    a snapshot of the worker's registry (every second, and before finished)
 *                       finished {result, storeError?}  the run's result as result.json holds it
 *                       goodbye {}                the worker exits on purpose (after bye, or after a signal)
 * supervisor -> worker: run {experiment, params, profile, out, device, rerun}
 *                       cancel {}                 cancel the current run (Ctrl-C / SIGTERM of the supervisor)
 *                       bye {}                    no more runs: exit
 * </pre>
 * A worker whose channel closes halts at once: a supervisor that is gone has nobody to report to.
 */
final class Protocol {
    static final String READY = "ready";
    static final String STARTED = "started";
    static final String METERS = "meters";
    static final String FINISHED = "finished";
    static final String GOODBYE = "goodbye";
    static final String RUN = "run";
    static final String CANCEL = "cancel";
    static final String BYE = "bye";

    private Protocol() { }
}
