package dlx.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {
    private final ExperimentSpec spec = ExperimentSpec.builder("demo.params")
            .title("demo")
            .param(ParamSpec.integer("epochs", 30).quick(2).range(1, 1000).help("epochs"))
            .param(ParamSpec.decimal("lr", 0.01).min(0).help("learning rate"))
            .param(ParamSpec.bool("resume", false))
            .param(ParamSpec.choice("optimizer", "adam", "adam", "sgd"))
            .param(ParamSpec.path("dataDir"))
            .param(ParamSpec.list("batches", ParamType.INT_LIST, "5,50,500").min(1))
            .param(ParamSpec.list("words", ParamType.STRING_LIST, "a, b"))
            .build();

    @Test
    void defaultsFollowTheProfileAndPlatformParamsAreAlwaysThere() {
        Params full = Params.resolve(spec, Map.of(), Profile.FULL);
        assertThat(full.integer("epochs")).isEqualTo(30);
        assertThat(full.profile()).isEqualTo(Profile.FULL);
        assertThat(full.seed()).isEqualTo(42);
        Params quick = Params.resolve(spec, Map.of(), Profile.QUICK);
        assertThat(quick.integer("epochs")).isEqualTo(2);
        assertThat(quick.quick()).isTrue();
        assertThat(quick.path("dataDir")).isEmpty();
        assertThat(quick.intList("batches")).containsExactly(5, 50, 500);
        assertThat(quick.stringList("words")).containsExactly("a", "b");
        assertThat(quick.asMap().keySet()).startsWith("profile", "seed");
    }

    @Test
    void userValuesAreParsedAndTheProfileParamOverridesTheDefaultProfile() {
        Params p = Params.resolve(spec, Map.of("profile", "quick", "lr", "0.5", "resume", "TRUE", "optimizer", "SGD",
                "dataDir", "/data/x", "seed", "7"), Profile.FULL);
        assertThat(p.profile()).isEqualTo(Profile.QUICK);
        assertThat(p.integer("epochs")).isEqualTo(2);
        assertThat(p.decimal("lr")).isEqualTo(0.5);
        assertThat(p.bool("resume")).isTrue();
        assertThat(p.string("optimizer")).isEqualTo("sgd");
        assertThat(p.path("dataDir")).contains(Path.of("/data/x"));
        assertThat(p.seed()).isEqualTo(7);
    }

    @Test
    void badValuesNameTheParameterTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("epochs", "0"), Profile.FULL))
                .isInstanceOf(ParamException.class)
                .hasMessageContaining("'epochs'").hasMessageContaining("demo.params").hasMessageContaining("'0'")
                .hasMessageContaining("an integer in [1, 1000]");
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("epochs", "many"), Profile.FULL))
                .hasMessageContaining("'many'").hasMessageContaining("an integer");
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("lr", "-1"), Profile.FULL))
                .hasMessageContaining("a number >= 0");
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("resume", "yes"), Profile.FULL))
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("optimizer", "rmsprop"), Profile.FULL))
                .hasMessageContaining("one of adam, sgd");
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("batches", "5,0"), Profile.FULL))
                .hasMessageContaining("comma-separated integers >= 1");
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("profile", "huge"), Profile.FULL))
                .hasMessageContaining("one of quick, full");
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("lr", "NaN"), Profile.FULL))
                .isInstanceOf(ParamException.class);
    }

    @Test
    void unknownParametersAreRejectedWithTheListOfKnownOnes() {
        assertThatThrownBy(() -> Params.resolve(spec, Map.of("epoch", "3"), Profile.FULL))
                .isInstanceOf(ParamException.class)
                .hasMessageContaining("unknown parameter 'epoch'").hasMessageContaining("epochs, lr");
    }

    @Test
    void anUnsetPathIsReportedWhenRequired() {
        ExperimentSpec s = ExperimentSpec.builder("demo.required").param(ParamSpec.string("name", null)).build();
        Params p = Params.resolve(s, Map.of(), Profile.FULL);
        assertThatThrownBy(() -> p.string("name")).hasMessageContaining("--param name=");
    }

    @Test
    void specsRejectBadIdsAndDuplicateParameters() {
        assertThatThrownBy(() -> ExperimentSpec.builder("NoDot").build()).hasMessageContaining("plugin.name");
        assertThatThrownBy(() -> ExperimentSpec.builder("a.b").param(ParamSpec.integer("seed", 1)).build())
                .hasMessageContaining("'seed' twice");
        assertThat(List.copyOf(spec.params().keySet())).contains("epochs", "dataDir");
    }

    @Test
    void emptyListsNonFiniteNumbersAndEmptyPathsAreRefusedUnlessDeclared() {
        ExperimentSpec lists = ExperimentSpec.builder("demo.lists")
                .param(ParamSpec.list("sizes", ParamType.INT_LIST, "32,64").min(4))
                .param(ParamSpec.list("lambdas", ParamType.DOUBLE_LIST, "0.1"))
                .param(ParamSpec.list("sets", ParamType.STRING_LIST, "small").choices("small", "large"))
                .param(ParamSpec.list("captions", ParamType.STRING_LIST, ""))
                .param(ParamSpec.list("extra", ParamType.STRING_LIST, "a").allowEmpty())
                .param(ParamSpec.decimal("lr", 0.01).min(0))
                .param(ParamSpec.decimal("anything", 1).allowNonFinite())
                .param(ParamSpec.path("dataDir"))
                .build();
        assertThatThrownBy(() -> Params.resolve(lists, Map.of("sizes", ""), Profile.FULL))
                .hasMessageContaining("'sizes'").hasMessageContaining("(at least one)");
        assertThatThrownBy(() -> Params.resolve(lists, Map.of("sizes", " , "), Profile.FULL)).hasMessageContaining("'sizes'");
        assertThatThrownBy(() -> Params.resolve(lists, Map.of("lambdas", "0.1,Infinity"), Profile.FULL))
                .hasMessageContaining("'lambdas'").hasMessageContaining("(finite)");
        assertThatThrownBy(() -> Params.resolve(lists, Map.of("lr", "Infinity"), Profile.FULL)).hasMessageContaining("'lr'");
        assertThatThrownBy(() -> Params.resolve(lists, Map.of("lr", "NaN"), Profile.FULL)).hasMessageContaining("'lr'");
        assertThatThrownBy(() -> Params.resolve(lists, Map.of("sets", "small,bogus"), Profile.FULL))
                .hasMessageContaining("'sets'").hasMessageContaining("small, large");
        assertThatThrownBy(() -> Params.resolve(lists, Map.of("dataDir", ""), Profile.FULL)).hasMessageContaining("'dataDir'");
        Params ok = Params.resolve(lists, Map.of("captions", "", "extra", "", "anything", "Infinity", "sets", "large,small"),
                Profile.FULL);
        assertThat(ok.stringList("captions")).isEmpty();
        assertThat(ok.stringList("extra")).isEmpty();
        assertThat(ok.decimal("anything")).isInfinite();
        assertThat(ok.stringList("sets")).containsExactly("large", "small");
    }
}
