package dlx.api;

/**
 * One reproducible, parameterised experiment. {@link #spec()} must be cheap; {@link #run} does the
 * work: it reads what it needs from the request and reports everything through the reporter.
 * Throwing fails the run (its result is still written, with {@code status: failed}); throwing
 * {@link ExperimentSkipped} skips it.
 */
public interface Experiment {

    ExperimentSpec spec();

    void run(RunRequest request, RunReporter reporter) throws Exception;
}
