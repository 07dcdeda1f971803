package dlx.launcher.cli;

import dlx.engine.config.PlatformConfig;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Prints the effective configuration: every key, its value and where it came from.",
                "A key a.b is read from the system property dlx.a.b, else the environment variable DLX_A_B, else its default."})
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Inject
    PlatformConfig config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<PlatformConfig.Entry> entries = config.all();
        out.printf("%-12s %-34s %-28s %s%n", "KEY", "VALUE", "SOURCE", "MEANING");
        for (PlatformConfig.Entry e : entries) {
            out.printf("%-12s %-34s %-28s %s%n", e.key().name(), e.value() == null ? "(not set)" : e.value(), e.source(),
                    e.key().help());
        }
        out.flush();
        return 0;
    }
}
