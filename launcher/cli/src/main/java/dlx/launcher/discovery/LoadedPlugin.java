package dlx.launcher.discovery;

import com.google.inject.Module;
import dlx.api.Plugin;
import java.nio.file.Path;
import java.util.List;

/** A plugin instance with the jar and the module layer it came from, and the Guice modules its layer provides. */
public record LoadedPlugin(Plugin plugin, Path jar, ModuleLayer layer, List<Module> modules) {
    public LoadedPlugin {
        modules = List.copyOf(modules);
    }

    public String name() {
        return plugin.name();
    }
}
