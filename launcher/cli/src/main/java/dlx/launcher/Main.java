package dlx.launcher;

import dlx.launcher.cli.DlxCommand;
import picocli.CommandLine;

/** Entry point of {@code dlx}: exit 0 when every run succeeded, 1 when a run failed, 2 for bad usage. */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        // Guice's generated fast classes live in the unnamed module and cannot reach plugin
        // packages that are only opened, not exported: plain reflection works across layers.
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
        CommandLine cli = new CommandLine(new DlxCommand());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UsageException) {
                cmd.getErr().println("dlx: " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println("dlx: " + dlx.kit.runtime.ExperimentRunner.describe(ex));
            return 1;
        });
        return cli.execute(args);
    }
}
