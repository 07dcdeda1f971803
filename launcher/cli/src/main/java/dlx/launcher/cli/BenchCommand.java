package dlx.launcher.cli;

import picocli.CommandLine.Command;

/** {@code dlx bench}: the run command over the experiments that plugins mark as benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs benchmarks (all of them, or those named by id or glob); results as for 'run'.",
                "Benchmarks report throughput (examples/s, tokens/s) and are left out of 'dlx run all'."})
final class BenchCommand extends RunCommand {
    @Override
    boolean benchmarks() {
        return true;
    }
}
