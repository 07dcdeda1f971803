package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;

/**
 * FGSM against a 1-D ridge model f(x) = w*x: x′ = x − ε·sgn(w*), so f(x′) = w*x − ε|w*| = 0 at
 * ε = x·sgn(w*) = |x| (for x on the side of the decision boundary the model predicts), independent of
 * λ as long as w* ≠ 0: weight decay shrinks w* but does not make the model more robust under FGSM.
 */
public final class RidgeFgsmExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return RidgeAttack1d.params(ExperimentSpec.builder("theory.ridge-fgsm")
                .title("FGSM on a 1-D ridge model: ε(λ) that zeroes f(x′)")
                .description("Same model and example as theory.ridge-fgm-epsilon, attacked with the sign of the "
                        + "gradient: f(x′) = w*(x − ε sgn w*) = 0 gives ε = x·sgn(w*), the same for every λ with w* ≠ 0."))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        reporter.answer("formula", "ε(λ) = x · sgn(w*(λ)) = |x|, independent of λ  (f(x′) = w*x − ε|w*| = 0)");
        RidgeAttack1d.run(request.params(), reporter, RidgeAttack1d.Attack.FGSM);
    }
}
