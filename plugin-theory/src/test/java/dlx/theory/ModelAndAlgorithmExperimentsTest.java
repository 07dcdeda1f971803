package dlx.theory;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Experiment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelAndAlgorithmExperimentsTest {

    @Test
    void registersTheCatalogueIdsWithPublicNoArgConstructors() throws Exception {
        List<String> ids = new ArrayList<>();
        for (Class<? extends Experiment> c : ModelAndAlgorithmExperiments.ALL) {
            ids.add(c.getConstructor().newInstance().spec().id());
        }
        assertThat(ids).containsExactlyInAnyOrder(
                "theory.normalization", "theory.decoding", "theory.exhaustive-search", "theory.rnn-gradients",
                "theory.gradient-clipping", "theory.dropout-gaussian",
                "theory.dropout-tikhonov", "theory.multiclass-perceptron", "theory.mini-cnn-backprop",
                "theory.param-counts");
        assertThat(new TheoryPlugin().experiments()).containsAll(ModelAndAlgorithmExperiments.ALL);
    }
}
