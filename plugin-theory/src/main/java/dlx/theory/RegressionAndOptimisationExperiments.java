package dlx.theory;

import dlx.api.Experiment;
import java.util.List;

/** Ridge, adversarial robustness, noisy-quadratic and weight-decay exercises. */
final class RegressionAndOptimisationExperiments {
    static final List<Class<? extends Experiment>> ALL = List.of();

    private RegressionAndOptimisationExperiments() { }
}
