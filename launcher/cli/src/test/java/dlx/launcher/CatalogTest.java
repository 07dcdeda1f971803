package dlx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dlx.api.Device;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Plugin;
import dlx.api.RunContext;
import dlx.kit.runtime.EnvDataLocations;
import dlx.launcher.discovery.Discovery;
import dlx.launcher.discovery.LoadedPlugin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogTest {
    public static final class Alpha implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("demo.alpha").title("a").build(); }
        public void run(RunContext ctx) { }
    }

    public static final class Beta implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("demo.beta-two").title("b").build(); }
        public void run(RunContext ctx) { }
    }

    public static final class Speed implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("demo.speed").title("s").benchmark().build(); }
        public void run(RunContext ctx) { }
    }

    public static final class Other implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("other.alpha").title("o").build(); }
        public void run(RunContext ctx) { }
    }

    private static LoadedPlugin plugin(String name, String jar, List<Class<? extends Experiment>> experiments) {
        return new LoadedPlugin(new Plugin() {
            public String name() { return name; }
            public List<Class<? extends Experiment>> experiments() { return experiments; }
        }, Path.of(jar), null);
    }

    private static Catalog catalog(LoadedPlugin... plugins) {
        return new Catalog(new Discovery(Path.of("plugins"), List.of(plugins), List.of("bad.jar: not a module jar")),
                new PlatformModule(new SimpleMeterRegistry(), new EnvDataLocations(Optional.empty(), Path.of("/tmp")), Device.CPU));
    }

    @Test
    void selectsByIdGlobAndAll() {
        Catalog c = catalog(plugin("demo", "demo.jar", List.of(Alpha.class, Beta.class)), plugin("other", "other.jar", List.of(Other.class)));
        assertThat(c.select("demo.alpha")).extracting(Catalog.Entry::id).containsExactly("demo.alpha");
        assertThat(c.select("demo.*")).extracting(Catalog.Entry::id).containsExactly("demo.alpha", "demo.beta-two");
        assertThat(c.select("*.alpha")).extracting(Catalog.Entry::id).containsExactly("demo.alpha", "other.alpha");
        assertThat(c.select("all")).hasSize(3);
        assertThat(c.problems()).containsExactly("bad.jar: not a module jar");
    }

    @Test
    void unknownIdsSuggestTheClosestOnes() {
        Catalog c = catalog(plugin("demo", "demo.jar", List.of(Alpha.class, Beta.class)));
        assertThatThrownBy(() -> c.select("demo.alpah")).isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown experiment 'demo.alpah'").hasMessageContaining("did you mean demo.alpha");
        assertThatThrownBy(() -> c.select("nothing.*")).hasMessageContaining("no experiment matches 'nothing.*'");
    }

    @Test
    void anIdOfferedTwiceNamesBothJarsAndIsNotRunnable() {
        Catalog c = catalog(plugin("demo", "demo.jar", List.of(Alpha.class)), plugin("copy", "copy.jar", List.of(Alpha.class, Beta.class)));
        assertThat(c.problems()).anyMatch(p -> p.contains("'demo.alpha'") && p.contains("demo.jar") && p.contains("copy.jar"));
        assertThatThrownBy(() -> c.select("demo.alpha")).hasMessageContaining("demo.jar").hasMessageContaining("copy.jar");
        assertThat(c.select("all")).extracting(Catalog.Entry::id).containsExactly("demo.beta-two");
    }

    @Test
    void benchmarksAreSelectedByBenchAndLeftOutOfAllAndGlobs() {
        Catalog c = catalog(plugin("demo", "demo.jar", List.of(Alpha.class, Speed.class)));
        assertThat(c.select("all")).extracting(Catalog.Entry::id).containsExactly("demo.alpha");
        assertThat(c.select("demo.*")).extracting(Catalog.Entry::id).containsExactly("demo.alpha");
        assertThat(c.select("all", true)).extracting(Catalog.Entry::id).containsExactly("demo.speed");
        assertThat(c.select("demo.speed")).extracting(Catalog.Entry::id).containsExactly("demo.speed");
    }

    @Test
    void levenshtein() {
        assertThat(Catalog.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Catalog.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void paramsMustBeKeyValueAndGivenOnce() {
        assertThat(dlx.launcher.cli.RunCommandAccess.parse(List.of("a=1", "b=x=y"))).containsEntry("a", "1").containsEntry("b", "x=y");
        assertThatThrownBy(() -> dlx.launcher.cli.RunCommandAccess.parse(List.of("novalue"))).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> dlx.launcher.cli.RunCommandAccess.parse(List.of("a=1", "a=2"))).hasMessageContaining("twice");
    }
}
