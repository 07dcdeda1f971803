package dlx.launcher;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dlx.engine.ExperimentRunner;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.cli.DlxCommand;
import dlx.launcher.cli.GuiceFactory;
import picocli.CommandLine;

/** Entry point of {@code dlx}: exit 0 when every run succeeded, 1 when a run failed, 2 for bad usage. */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.exit(execute(PlatformConfig.fromSystem(), args));
    }

    /** Runs one command with the given configuration; returns its exit code. */
    public static int execute(PlatformConfig config, String... args) {
        return execute(config, null, null, args);
    }

    /** As {@link #execute(PlatformConfig, String...)}, printing to the given writers (null: the console). */
    public static int execute(PlatformConfig config, java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        // Guice's generated fast classes live in the unnamed module and cannot reach plugin
        // packages that are only opened, not exported: plain reflection works across layers.
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
        Injector injector = Guice.createInjector(new LauncherModule(config));
        CommandLine cli = new CommandLine(DlxCommand.class, new GuiceFactory(injector));
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UsageException) {
                cmd.getErr().println("dlx: " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println("dlx: " + ExperimentRunner.describe(ex));
            return 1;
        });
        return cli.execute(args);
    }
}
