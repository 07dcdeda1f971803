package dlx.launcher.cli;

import dlx.launcher.UsageException;
import dlx.launcher.report.ReportServer;
import dlx.launcher.report.ReportSite;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the results as a static web site that opens from file:// with no network: every run (sort, "
                + "filter), each run's parameters, answers, metrics, interactive charts, plots and logs, runs compared side by "
                + "side, and the answers with their numerical checks.", "Default: RESULTS_DIR/report/index.html."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "RESULTS_DIR", defaultValue = "results", description = "results folder (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--out", paramLabel = "DIR", description = "where the site goes (default: RESULTS_DIR/report)")
    Path out;

    @Option(names = "--compare", arity = "2..*", paramLabel = "RUN",
            description = "runs the compare page shows (run id prefixes, <experiment>/<run id> or experiment ids); put RESULTS_DIR first")
    List<String> compare = new ArrayList<>();

    @Option(names = "--serve", paramLabel = "PORT",
            description = "serve the report on http://127.0.0.1:PORT/ and rebuild it as runs finish, until Ctrl-C (0: any free port)")
    Integer serve;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        if (serve != null && (serve < 0 || serve > 65535)) {
            throw new UsageException("--serve must be a TCP port in [0, 65535] (0: any free port), got " + serve);
        }
        ReportSite site = out == null ? ReportSite.in(results) : new ReportSite(results, out);
        if (serve == null) {
            ReportSite.Summary s = site.build(compare);
            stdout.printf(Locale.ROOT, "%d run(s), %d marked entr%s, built in %.1f s%n", s.runs(), s.marked(),
                    s.marked() == 1 ? "y" : "ies", s.seconds());
            if (s.compare() != null) {
                stdout.println("compare: " + s.compare());
            }
            stdout.println("report: " + s.index());
            stdout.flush();
            return 0;
        }
        site.build(compare); // the first build (a bad --compare is refused before listening); later builds keep the comparison
        try (ReportServer server = startServer(site)) {
            stdout.println("report: " + server.url() + " (rebuilt as runs finish; Ctrl-C stops)");
            stdout.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "dlx-report-stop"));
            stop.await();
        }
        return 0;
    }

    private ReportServer startServer(ReportSite site) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return ReportServer.start(site, serve, Duration.ofSeconds(2), line -> {
                err.println("dlx: " + line);
                err.flush();
            });
        } catch (java.io.IOException e) {
            throw new UsageException("--serve " + serve + ": cannot listen on 127.0.0.1:" + serve + " (" + e.getMessage() + ")");
        }
    }
}
