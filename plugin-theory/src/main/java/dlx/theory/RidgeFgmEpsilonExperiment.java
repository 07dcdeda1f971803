package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;

/**
 * FGM against a 1-D ridge model f(x) = w*x: x′ = x − ε∇ₓf = x − εw*, so f(x′) = w*x − ε w*² = 0 at
 * ε = x / w*(λ) = x(Σxᵢ² + 2nλ)/Σxᵢtᵢ, which grows linearly with λ: weight decay makes the model
 * more robust under FGM. Fixed example x = [1, 2], t = [1, 3], attacked x = 1.5, λ = 0.1.
 */
public final class RidgeFgmEpsilonExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return RidgeAttack1d.params(ExperimentSpec.builder("theory.ridge-fgm-epsilon")
                .title("FGM on a 1-D ridge model: ε(λ) that zeroes f(x′)")
                .description("f(x; w) = w·x with ridge weight w*(λ) = Σxᵢtᵢ/(Σxᵢ² + 2nλ). FGM moves x′ = x − ε w*, "
                        + "so f(x′) = 0 needs ε = x/w*(λ) = x(Σxᵢ² + 2nλ)/Σxᵢtᵢ, linear and increasing in λ. "
                        + "Checked by gradient descent, finite differences and bisection over a λ sweep."))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        reporter.answer("formula", "ε(λ) = x / w*(λ) = x (Σxᵢ² + 2nλ) / Σxᵢtᵢ  (f(x′) = w*x − ε w*² = 0)");
        RidgeAttack1d.run(request.params(), reporter, RidgeAttack1d.Attack.FGM);
    }
}
