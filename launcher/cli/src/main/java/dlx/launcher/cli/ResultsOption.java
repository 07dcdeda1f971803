package dlx.launcher.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --results DIR}, the results folder the run-record commands read. */
final class ResultsOption {
    @Option(names = {"--results", "--out"}, paramLabel = "DIR", defaultValue = "results",
            description = "results folder (default: ${DEFAULT-VALUE})")
    Path dir;
}
