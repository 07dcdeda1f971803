package dlx.launcher.discovery;

import dlx.api.Plugin;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolutionException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds plugins: every jar in the plugins folder is resolved on its own into a child
 * {@link ModuleLayer} of the platform's layer, and its {@link Plugin} providers are loaded from
 * that layer only. One broken jar is reported with its file name and reason; the others load.
 */
public final class PluginDiscovery {
    private final ModuleLayer parent;
    private final java.time.Duration timeout;

    /** {@code timeout}: how long a plugin's constructor may take (configuration key {@code plugin.timeout}). */
    public PluginDiscovery(ModuleLayer parent, java.time.Duration timeout) {
        this.parent = parent;
        this.timeout = timeout;
    }

    /** The layer that holds {@code dlx.api}: the boot layer when the launcher runs from its distribution. */
    public static PluginDiscovery fromPlatformLayer(java.time.Duration timeout) {
        ModuleLayer layer = Plugin.class.getModule().getLayer();
        if (layer == null) {
            throw new IllegalStateException("dlx.api is not in a named module layer: start dlx with its bin/dlx script "
                    + "(module path lib/), not from the class path");
        }
        return new PluginDiscovery(layer, timeout);
    }

    public Discovery discover(Path pluginsDir) {
        return discover(pluginsDir, java.util.Map.of());
    }

    /** As {@link #discover(Path)}, leaving out the jars in {@code skipped} (file name: why), which are reported. */
    public Discovery discover(Path pluginsDir, java.util.Map<String, String> skipped) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(pluginsDir)) {
            problems.add("plugins folder " + pluginsDir + " does not exist");
            return new Discovery(pluginsDir, List.of(), problems);
        }
        List<Path> jars = new ArrayList<>();
        try {
            jars.addAll(jars(pluginsDir));
        } catch (IOException e) {
            problems.add("cannot list plugins folder " + pluginsDir + ": " + e.getMessage());
        }
        List<Path> loaded = new ArrayList<>();
        for (Path jar : jars) {
            String why = skipped.get(jar.getFileName().toString());
            if (why != null) {
                problems.add(jar.getFileName() + ": " + why + "; skipped");
            } else {
                loaded.add(jar);
            }
        }
        Discovery found = discoverJars(pluginsDir, loaded);
        problems.addAll(found.problems());
        return new Discovery(pluginsDir, found.plugins(), problems);
    }

    /** The plugin jars of a folder, sorted. */
    public static List<Path> jars(Path pluginsDir) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(pluginsDir, "*.jar")) {
            dir.forEach(jars::add);
        }
        jars.sort(null);
        return jars;
    }

    /** Loads exactly these jars of {@code pluginsDir}. */
    public Discovery discoverJars(Path pluginsDir, List<Path> jars) {
        List<LoadedPlugin> plugins = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path jar : jars) {
            try {
                plugins.addAll(load(jar));
            } catch (PluginLoadException e) {
                problems.add(jar.getFileName() + ": " + e.getMessage());
            }
        }
        return new Discovery(pluginsDir, plugins, problems);
    }

    private List<LoadedPlugin> load(Path jar) throws PluginLoadException {
        ModuleLayer layer;
        Set<String> roots;
        try {
            ModuleFinder finder = ModuleFinder.of(jar);
            roots = finder.findAll().stream().map(r -> r.descriptor().name()).collect(Collectors.toCollection(TreeSet::new));
            if (roots.isEmpty()) {
                throw new PluginLoadException("not a module jar");
            }
            for (String root : roots) {
                if (parent.findModule(root).isPresent()) {
                    throw new PluginLoadException("module " + root + " is already part of the platform (lib/); a plugin jar must have a module name of its own");
                }
            }
            // Parent modules win: an empty "before" finder, the plugin jar only as "after".
            Configuration cf = Configuration.resolveAndBind(ModuleFinder.of(), List.of(parent.configuration()), finder, roots);
            ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(cf, List.of(parent),
                    ClassLoader.getSystemClassLoader());
            layer = controller.layer();
            openToInjector(controller);
        } catch (FindException e) {
            throw new PluginLoadException("not a valid module jar: " + rootMessage(e));
        } catch (ResolutionException e) {
            throw new PluginLoadException("cannot be resolved against the platform: " + rootMessage(e));
        } catch (LayerInstantiationException | SecurityException e) {
            throw new PluginLoadException("cannot define its module layer: " + rootMessage(e));
        }

        List<com.google.inject.Module> modules = pluginModules(layer);
        List<LoadedPlugin> found = new ArrayList<>();
        ServiceLoader<Plugin> loader = ServiceLoader.load(layer, Plugin.class);
        try {
            for (ServiceLoader.Provider<Plugin> provider : (Iterable<ServiceLoader.Provider<Plugin>>) loader.stream()::iterator) {
                if (provider.type().getModule().getLayer() != layer) {
                    continue; // a provider of a parent layer, reported by its own jar
                }
                try {
                    found.add(new LoadedPlugin(Bounded.call(provider::get, timeout,
                            provider.type().getClassLoader()), jar, layer, modules));
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new PluginLoadException("plugin " + provider.type().getName() + " " + e.getMessage()
                            + " while being created (its constructor hangs?); skipped");
                } catch (ServiceConfigurationError | LinkageError | Exception e) {
                    throw new PluginLoadException("plugin " + provider.type().getName() + " cannot be created: " + rootMessage(e));
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginLoadException("bad service declaration: " + rootMessage(e));
        }
        if (found.isEmpty()) {
            throw new PluginLoadException("module " + String.join(", ", roots) + " provides no " + Plugin.class.getName()
                    + " (add 'provides dlx.api.Plugin with ...' to its module-info.java)");
        }
        return found;
    }

    /**
     * Opens every package of the plugin's modules to Guice, which creates the experiments by
     * reflection: plugins need not know the platform injects with Guice.
     */
    private static void openToInjector(ModuleLayer.Controller controller) {
        Module guice = com.google.inject.Injector.class.getModule();
        for (Module m : controller.layer().modules()) {
            for (String pkg : m.getPackages()) {
                controller.addOpens(m, pkg, guice);
            }
        }
    }

    /** The plugin's own Guice modules: {@code provides com.google.inject.Module with ...} in its layer. */
    private static List<com.google.inject.Module> pluginModules(ModuleLayer layer) throws PluginLoadException {
        List<com.google.inject.Module> modules = new ArrayList<>();
        try {
            ServiceLoader.load(layer, com.google.inject.Module.class).stream()
                    .filter(p -> p.type().getModule().getLayer() == layer)
                    .forEach(p -> modules.add(p.get()));
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw new PluginLoadException("its Guice module cannot be created: " + rootMessage(e));
        }
        return modules;
    }

    static String rootMessage(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + c.getMessage();
            if (s.indexOf(m) < 0) {
                if (s.length() > 0) {
                    s.append(" <- ");
                }
                s.append(m);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return s.toString();
    }

    /** Why a jar could not be loaded; the message is shown after the jar's name. */
    static final class PluginLoadException extends Exception {
        PluginLoadException(String message) {
            super(message);
        }
    }
}
