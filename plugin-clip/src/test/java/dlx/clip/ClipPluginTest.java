package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Configuration;
import dlx.api.Experiment;
import jakarta.inject.Inject;
import java.lang.reflect.Constructor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipPluginTest {

    /** The launcher creates experiments by injection: each takes the platform's configuration in its @Inject constructor. */
    @Test
    void everyExperimentIsInjectedWithTheConfiguration() throws Exception {
        ClipPlugin plugin = new ClipPlugin();
        assertThat(plugin.name()).isEqualTo("clip");
        List<String> ids = new java.util.ArrayList<>();
        for (Class<? extends Experiment> type : plugin.experiments()) {
            Constructor<? extends Experiment> c = type.getConstructor(Configuration.class);
            assertThat(c.isAnnotationPresent(Inject.class)).as(type.getSimpleName()).isTrue();
            ids.add(c.newInstance(Fixtures.noModelConfigured()).spec().id());
        }
        assertThat(ids).containsExactly("clip.zero-shot", "clip.caption-search", "clip.bench-encode");
    }
}
