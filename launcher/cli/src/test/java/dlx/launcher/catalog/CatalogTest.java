package dlx.launcher.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Plugin;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.LauncherModule;
import dlx.launcher.UsageException;
import dlx.launcher.discovery.Discovery;
import dlx.launcher.discovery.LoadedPlugin;
import dlx.launcher.run.RunPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CatalogTest {
    public static final class Alpha implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("demo.alpha").title("a").build(); }
        public void run(RunRequest request, RunReporter reporter) { }
    }

    public static final class Beta implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("demo.beta-two").title("b").build(); }
        public void run(RunRequest request, RunReporter reporter) { }
    }

    public static final class Speed implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("demo.speed").title("s").benchmark().build(); }
        public void run(RunRequest request, RunReporter reporter) { }
    }

    public static final class Other implements Experiment {
        public ExperimentSpec spec() { return ExperimentSpec.builder("other.alpha").title("o").build(); }
        public void run(RunRequest request, RunReporter reporter) { }
    }

    private static LoadedPlugin plugin(String name, String jar, List<Class<? extends Experiment>> experiments) {
        return new LoadedPlugin(new Plugin() {
            public String name() { return name; }
            public List<Class<? extends Experiment>> experiments() { return experiments; }
        }, Path.of(jar), null, List.of());
    }

    private static Catalog catalog(LoadedPlugin... plugins) {
        return new Catalog(new Discovery(Path.of("plugins"), List.of(plugins), List.of("bad.jar: not a module jar")),
                Guice.createInjector(new LauncherModule(new PlatformConfig(Map.of(), new Properties()))));
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
    void globsTreatEverythingButStarAndQuestionMarkLiterally() {
        Catalog c = catalog(plugin("demo", "demo.jar", List.of(Alpha.class, Beta.class)));
        assertThat(c.select("demo.?lpha")).extracting(Catalog.Entry::id).containsExactly("demo.alpha");
        assertThatThrownBy(() -> c.select("demo[*")).isInstanceOf(UsageException.class)
                .hasMessageContaining("no experiment matches 'demo[*'");
        assertThatThrownBy(() -> c.select("demo.alpha(*")).isInstanceOf(UsageException.class);
    }

    @Test
    void levenshtein() {
        assertThat(Catalog.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Catalog.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void paramsMustBeKeyValueAndGivenOnce() {
        assertThat(RunPlan.parseParams(List.of("a=1", "b=x=y"))).containsEntry("a", "1").containsEntry("b", "x=y");
        assertThatThrownBy(() -> RunPlan.parseParams(List.of("novalue"))).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> RunPlan.parseParams(List.of("a=1", "a=2"))).hasMessageContaining("twice");
    }
}
