package dlx.launcher.cli;

import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Profile;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.catalog.Catalogs;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "describe", mixinStandardHelpOptions = true, description = "Shows an experiment's description and parameters with defaults and help.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    PluginsOption plugins;

    @Inject
    Catalogs catalogs;

    @Parameters(paramLabel = "ID", description = "experiment id")
    String id;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Catalog catalog = catalogs.open(plugins.folder, spec.commandLine().getErr());
        Catalog.Entry entry = catalog.select(id).get(0);
        ExperimentSpec s = entry.experiment().spec();
        out.println(s.id() + " - " + s.title());
        out.println("plugin: " + entry.plugin().name() + " " + entry.plugin().plugin().version() + " (" + entry.plugin().jar().getFileName() + ")");
        out.println();
        out.println(s.description());
        out.println();
        out.println("Parameters (--param name=value):");
        for (ParamSpec p : s.params().values()) {
            String full = p.defaultText(Profile.FULL);
            String quick = p.defaultText(Profile.QUICK);
            String def = full == null ? "(not set)" : full;
            if (!Objects.equals(full, quick)) {
                def += " (quick: " + quick + ")";
            }
            out.printf("  %-18s %s%n", p.name(), p.help());
            out.printf("  %-18s default %s; %s%n", "", def, p.allowed());
        }
        out.flush();
        return 0;
    }
}
