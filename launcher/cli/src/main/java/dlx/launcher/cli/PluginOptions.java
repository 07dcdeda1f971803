package dlx.launcher.cli;

import dlx.api.Device;
import dlx.kit.runtime.EnvDataLocations;
import dlx.launcher.Catalog;
import dlx.launcher.PlatformModule;
import dlx.launcher.discovery.Discovery;
import dlx.launcher.discovery.PluginDiscovery;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --plugins DIR}, shared by every command that needs the catalogue. */
final class PluginOptions {

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "plugins folder (default: $DLX_PLUGINS, else the distribution's plugins/)")
    Path plugins;

    Path folder() {
        if (plugins != null) {
            return plugins;
        }
        String env = System.getenv("DLX_PLUGINS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = System.getProperty("dlx.home");
        if (home != null) {
            return Path.of(home, "plugins");
        }
        try {
            // lib/launcher.jar -> ../plugins
            Path jar = Path.of(PluginOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolveSibling("plugins");
        } catch (Exception e) {
            return Path.of("plugins");
        }
    }

    /** The catalogue for commands that only look at it (list, describe): no meters to publish, no device to use. */
    Catalog catalog(PrintWriter err) {
        return catalog(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Device.AUTO, err);
    }

    Catalog catalog(MeterRegistry registry, Device device, PrintWriter err) {
        Path folder = folder();
        if (!Files.isDirectory(folder)) {
            err.println("dlx: warning: plugins folder " + folder + " does not exist (set --plugins or DLX_PLUGINS)");
        }
        Discovery discovery = PluginDiscovery.fromPlatformLayer().discover(folder);
        Catalog catalog = new Catalog(discovery, new PlatformModule(registry, EnvDataLocations.fromEnvironment(), device));
        for (String problem : catalog.problems()) {
            err.println("dlx: warning: " + problem);
        }
        err.flush();
        return catalog;
    }
}
