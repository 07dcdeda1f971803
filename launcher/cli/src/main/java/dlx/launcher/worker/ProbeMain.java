package dlx.launcher.worker;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.LauncherModule;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.discovery.Discovery;
import dlx.launcher.discovery.PluginDiscovery;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The probe JVM of {@link dlx.launcher.discovery.PluginProbe}: loads each plugin jar named on its
 * command line alone and creates its experiments, saying on standard output, before and after,
 * which jar it is at. If a plugin ends this JVM (System.exit, halt, a crash), the last
 * {@code probing} line names the culprit. Arguments: the plugins folder, then the jars.
 */
public final class ProbeMain {
    /** Marks the probe's own lines among whatever plugin code prints. */
    public static final String MARK = "dlx-probe\t";

    private ProbeMain() { }

    public static void main(String[] args) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream())); // plugin chatter is not the probe's answer
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
        PlatformConfig config = PlatformConfig.fromSystem();
        Injector injector = Guice.createInjector(new LauncherModule(config));
        PluginDiscovery discovery = injector.getInstance(PluginDiscovery.class);
        Path folder = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path jar = Path.of(args[i]);
            out.println(MARK + "probing\t" + jar.getFileName());
            out.flush();
            Discovery found = discovery.discoverJars(folder, List.of(jar));
            Catalog catalog = new Catalog(found, injector, config.pluginTimeout());
            List<String> problems = catalog.problems();
            out.println(MARK + (problems.isEmpty() ? "ok\t" + jar.getFileName()
                    : "problem\t" + jar.getFileName() + "\t" + String.join("; ", problems).replace('\n', ' ')));
            out.flush();
        }
        out.println(MARK + "done");
        out.flush();
        System.exit(0); // a plugin's non-daemon thread must not keep the probe alive
    }
}
