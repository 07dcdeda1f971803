package dlx.launcher.cli;

import picocli.CommandLine.Command;

@Command(name = "dlx", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs deep-learning experiments from plugins: list them, describe their parameters, run them.",
        subcommands = {ListCommand.class, DescribeCommand.class, RunCommand.class, BenchCommand.class, RunsCommand.class,
                ShowCommand.class, CompareCommand.class, ConfigCommand.class,
                ReportCommand.class,
                SweepCommand.class,
                picocli.CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every run succeeded (or was skipped)", "1:a run failed", "2:bad usage (unknown id, bad parameter)"})
public final class DlxCommand {
}
