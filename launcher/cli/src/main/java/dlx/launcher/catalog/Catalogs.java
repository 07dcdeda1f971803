package dlx.launcher.catalog;

import com.google.inject.Injector;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.builtin.PlatformPlugin;
import dlx.launcher.discovery.Discovery;
import dlx.launcher.discovery.LoadedPlugin;
import java.util.List;
import dlx.launcher.discovery.PluginDiscovery;
import dlx.launcher.discovery.PluginProbe;
import dlx.launcher.worker.WorkerProcesses;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the catalogue of a plugins folder: discovery, then the experiments created by the injector. */
public final class Catalogs {
    private final Provider<PluginDiscovery> discovery;
    private final Injector injector;
    private final PlatformConfig config;

    /** Discovery is provided lazily: picocli creates every command, and only some open the catalogue. */
    @Inject
    Catalogs(Provider<PluginDiscovery> discovery, Injector injector, PlatformConfig config) {
        this.discovery = discovery;
        this.injector = injector;
        this.config = config;
    }

    /** The plugins folder: {@code --plugins}, else the {@code plugins} key, else {@code <home>/plugins}, else the distribution's. */
    public Path folder(Path override) {
        if (override != null) {
            return override;
        }
        return config.get(PlatformConfig.PLUGINS.name()).map(Path::of)
                .or(() -> config.get(PlatformConfig.HOME.name()).map(home -> Path.of(home, "plugins")))
                .orElseGet(Catalogs::besideTheLauncherJar);
    }

    /** Discovers and creates; every problem (broken jar, duplicate id) is printed as a warning. */
    public Catalog open(Path override, PrintWriter err) {
        Path folder = folder(override);
        if (!Files.isDirectory(folder)) {
            err.println("dlx: warning: plugins folder " + folder + " does not exist (set --plugins or DLX_PLUGINS)");
        }
        Discovery found = discovery.get().discover(folder, unsafeJars(folder)).with(builtin());
        Catalog catalog = new Catalog(found, injector, config.pluginTimeout());
        catalog.problems().forEach(p -> err.println("dlx: warning: " + p));
        err.flush();
        return catalog;
    }

    /**
     * Jars a probe JVM saw end the JVM while their plugin was created ({@link PluginProbe}): only
     * when dlx runs from its distribution (the probe is started with its command line) and the
     * {@code worker} key is not false.
     */
    private java.util.Map<String, String> unsafeJars(Path folder) {
        if (!WorkerProcesses.enabled(config) || !Files.isDirectory(folder)) {
            return java.util.Map.of();
        }
        return new PluginProbe(config.dataLocations().cacheDir(), config.pluginTimeout()).unsafe(folder);
    }

    /** The launcher's own plugin (platform benchmarks), listed with the others. */
    private static LoadedPlugin builtin() {
        Path jar = dlx.engine.store.CodeDigests.location(PlatformPlugin.class).orElse(Path.of("launcher.jar"));
        return new LoadedPlugin(new PlatformPlugin(), jar, PlatformPlugin.class.getModule().getLayer(), List.of());
    }

    /** lib/launcher.jar -> ../plugins */
    private static Path besideTheLauncherJar() {
        try {
            Path jar = Path.of(Catalogs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolveSibling("plugins");
        } catch (Exception e) {
            return Path.of("plugins");
        }
    }
}
