package dlx.launcher.discovery;

import java.nio.file.Path;
import java.util.List;

/** What discovery found in a plugins folder, and what it could not load (jar: reason). */
public record Discovery(Path folder, List<LoadedPlugin> plugins, List<String> problems) {
    public Discovery {
        plugins = List.copyOf(plugins);
        problems = List.copyOf(problems);
    }

    /** These plugins and {@code more}. */
    public Discovery with(LoadedPlugin more) {
        List<LoadedPlugin> all = new java.util.ArrayList<>(plugins);
        all.add(more);
        return new Discovery(folder, all, problems);
    }
}
