package dlx.launcher.cli;

import dlx.engine.store.Machine;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code dlx bench}: the run command over the experiments that plugins mark as benchmarks. The
 * machine ({@link Machine}: CPU, the vector extensions the JVM uses, thread settings) is printed
 * before the runs, so above every figure they log, and again under the results, so that figures
 * from different machines are never compared blind. Benchmarks run in this JVM, not in a worker
 * ({@code RunCommand.supervised}), so the JVM flags and thread settings described are those they
 * ran under and no worker start is timed. A benchmark always measures: a configuration that finished
 * before runs again (as with {@code --rerun}; the earlier figures stay in the run's attempts), since
 * a cached figure says nothing about this machine now.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs benchmarks (all of them, or those named by id or glob); results as for 'run'.",
                "Benchmarks report throughput (examples/s, tokens/s) and are left out of 'dlx run all'.",
                "Prints the CPU, the vector extensions the JVM uses and the thread settings with the figures.",
                "A benchmark always runs again (as with --rerun): earlier figures stay in the run's attempts/."})
final class BenchCommand extends RunCommand {
    static final String PREFIX = "machine ";

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        String machine = Machine.current(System.getenv()).lines(PREFIX);
        stdout.print(machine);
        stdout.flush();
        rerun = true;
        Integer exit = super.call();
        stdout.print(machine);
        stdout.flush();
        return exit;
    }

    @Override
    boolean benchmarks() {
        return true;
    }
}
