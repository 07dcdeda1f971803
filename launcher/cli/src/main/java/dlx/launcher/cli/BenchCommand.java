package dlx.launcher.cli;

import dlx.engine.store.Machine;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code dlx bench}: the run command over the experiments that plugins mark as benchmarks. The
 * machine ({@link Machine}: CPU, the vector extensions the JVM uses, thread settings) is printed
 * before the runs, so above every figure they log, and again under the results, so that figures
 * from different machines are never compared blind. The worker JVMs that run the benchmarks get
 * this JVM's options and environment ({@code DLX_JAVA_OPTS} included), so the JVM flags and thread
 * settings described are theirs too.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs benchmarks (all of them, or those named by id or glob); results as for 'run'.",
                "Benchmarks report throughput (examples/s, tokens/s) and are left out of 'dlx run all'.",
                "Prints the CPU, the vector extensions the JVM uses and the thread settings with the figures."})
final class BenchCommand extends RunCommand {
    static final String PREFIX = "machine ";

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        String machine = Machine.current(System.getenv()).lines(PREFIX);
        stdout.print(machine);
        stdout.flush();
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
