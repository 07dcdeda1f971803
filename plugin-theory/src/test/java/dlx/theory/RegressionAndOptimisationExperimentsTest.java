package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Experiment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionAndOptimisationExperimentsTest {

    @Test
    void registersTheCatalogueIdsWithPublicNoArgConstructors() throws Exception {
        List<String> ids = new ArrayList<>();
        for (Class<? extends Experiment> c : RegressionAndOptimisationExperiments.ALL) {
            ids.add(c.getConstructor().newInstance().spec().id());
        }
        assertThat(ids).containsExactlyInAnyOrder(
                "theory.fgsm-bound", "theory.fgm-attack", "theory.ridge-closed-form", "theory.ridge-toy",
                "theory.ridge-fgm-epsilon", "theory.ridge-fgsm", "theory.nqm-batch-size",
                "theory.nqm-steps-vs-batch", "theory.weight-decay");
        assertThat(new TheoryPlugin().experiments()).containsAll(RegressionAndOptimisationExperiments.ALL);
    }
}
