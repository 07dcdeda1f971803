package dlx.launcher.cli;

import dlx.launcher.catalog.Catalog;
import dlx.launcher.catalog.Catalogs;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the experiments of all plugins (id, title, plugin).")
final class ListCommand implements Callable<Integer> {
    @Mixin
    PluginsOption plugins;

    @Spec
    CommandSpec spec;

    @Inject
    Catalogs catalogs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Catalog catalog = catalogs.open(plugins.folder, spec.commandLine().getErr());
        int idWidth = catalog.all().stream().mapToInt(e -> e.id().length()).max().orElse(2);
        out.printf("%-" + idWidth + "s  %-8s  %s%n", "ID", "PLUGIN", "TITLE");
        for (Catalog.Entry e : catalog.all()) {
            out.printf("%-" + idWidth + "s  %-8s  %s%s%n", e.id(), e.plugin().name(), e.experiment().spec().title(),
                    e.experiment().spec().benchmark() ? " (benchmark: dlx bench)" : "");
        }
        out.flush();
        return 0;
    }
}
