package dlx.launcher.discovery;

import dlx.api.Plugin;
import java.nio.file.Path;

/** A plugin instance with the jar and the module layer it came from. */
public record LoadedPlugin(Plugin plugin, Path jar, ModuleLayer layer) {
    public String name() {
        return plugin.name();
    }
}
