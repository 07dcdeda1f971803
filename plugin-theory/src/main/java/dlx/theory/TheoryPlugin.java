package dlx.theory;

import dlx.api.Experiment;
import dlx.api.Plugin;
import java.util.ArrayList;
import java.util.List;

/** The theory exercises of the catalogue. */
public final class TheoryPlugin implements Plugin {
    @Override
    public String name() {
        return "theory";
    }

    @Override
    public List<Class<? extends Experiment>> experiments() {
        List<Class<? extends Experiment>> all = new ArrayList<>(RegressionAndOptimisationExperiments.ALL);
        all.addAll(ModelAndAlgorithmExperiments.ALL);
        return all;
    }
}
