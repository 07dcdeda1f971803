package dlx.theory;

import dlx.api.Experiment;
import java.util.List;

/** Ridge, adversarial robustness, noisy-quadratic and weight-decay exercises. */
final class RegressionAndOptimisationExperiments {
    static final List<Class<? extends Experiment>> ALL = List.of(
            FgsmBoundExperiment.class,
            FgmAttackExperiment.class,
            RidgeClosedFormExperiment.class,
            RidgeToyExperiment.class,
            RidgeFgmEpsilonExperiment.class,
            RidgeFgsmExperiment.class,
            NqmBatchSizeExperiment.class,
            NqmStepsVsBatchExperiment.class,
            WeightDecayExperiment.class);

    private RegressionAndOptimisationExperiments() { }
}
