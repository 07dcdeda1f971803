package dlx.api;

/**
 * One reproducible, parameterised experiment. {@link #spec()} must be cheap; {@link #run} does the
 * work and records everything through the context. Throwing fails the run (its result is still
 * written, with {@code status: failed}); throwing {@link ExperimentSkipped} skips it.
 */
public interface Experiment {

    ExperimentSpec spec();

    void run(RunContext context) throws Exception;
}
