package dlx.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import org.junit.jupiter.api.Test;

class ParameterProbeTest {

    @Test
    void aSpecThatRefusesEveryBadValueHasNoProblems() {
        ExperimentSpec good = ExperimentSpec.builder("demo.good")
                .param(ParamSpec.integer("epochs", 3).range(1, 100))
                .param(ParamSpec.decimal("lr", 0.1).range(0, 1))
                .param(ParamSpec.list("sizes", ParamType.INT_LIST, "4").min(1))
                .param(ParamSpec.list("sets", ParamType.STRING_LIST, "a").choices("a", "b"))
                .param(ParamSpec.path("dataDir"))
                .build();
        assertThat(ParameterProbe.problems(good)).isEmpty();
    }

    @Test
    void itFindsWhatGetsThroughAndWhatIsWronglyRefused() {
        ExperimentSpec loose = ExperimentSpec.builder("demo.loose")
                .param(ParamSpec.decimal("lr", 0.1).allowNonFinite().min(0))
                .param(ParamSpec.list("sets", ParamType.STRING_LIST, "").help("any"))
                .build();
        // allowNonFinite and an empty default are declared: nothing to report
        assertThat(ParameterProbe.problems(loose)).isEmpty();
        ExperimentSpec narrow = ExperimentSpec.builder("demo.narrow").param(ParamSpec.integer("n", 5).min(5)).build();
        assertThat(ParameterProbe.probes(narrow.param("n").orElseThrow()))
                .anySatisfy(p -> assertThat(p.value()).isEqualTo("5"))
                .anySatisfy(p -> assertThat(p.value()).isEqualTo("4"));
        assertThat(ParameterProbe.problems(narrow)).isEmpty();
    }
}
