package dlx.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dlx.api.Device;
import dlx.api.Profile;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.UsageException;
import dlx.launcher.catalog.Catalog;
import dlx.launcher.catalog.Catalogs;
import dlx.launcher.push.RunPusher;
import dlx.launcher.run.Orchestrator;
import dlx.launcher.run.RunPlan;
import dlx.launcher.sweep.Kubernetes;
import dlx.launcher.sweep.Slurm;
import dlx.launcher.sweep.Submissions;
import dlx.launcher.sweep.SweepPlan;
import dlx.launcher.sweep.SweepRequest;
import dlx.launcher.sweep.SweepRunOptions;
import dlx.launcher.worker.MeterRelay;
import dlx.launcher.worker.TimeLimits;
import dlx.launcher.worker.WorkerProcesses;
import dlx.launcher.sweep.SweepSpec;
import dlx.launcher.sweep.SweepStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlx sweep plan|submit|status}: grids, random search and fanned-out studies, here or on a cluster. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Sweeps: a grid (--param lr=0.1,0.01), a sweep file (--sweep sweep.yaml: grid, seeds, random search) "
                + "or a study fanned out into cells and a fit. 'plan' prints and freezes the runs, 'submit' runs them "
                + "here (--launcher local) or on Slurm as one job array, or writes a Kubernetes Indexed Job; 'status' "
                + "shows every index. Each sweep lives in RESULTS/sweeps/<sweep id>/ (plan.json, scripts, job ids, "
                + "logs).",
        subcommands = {SweepCommand.Plan.class, SweepCommand.Submit.class, SweepCommand.Status.class})
final class SweepCommand {

    /** What to sweep: shared by plan and submit. */
    static final class Inputs {
        @Mixin
        PluginsOption plugins;

        @Parameters(arity = "0..*", paramLabel = "ID|GLOB", description = "experiments to sweep (or --sweep FILE)")
        List<String> selectors = new ArrayList<>();

        @Option(names = "--sweep", paramLabel = "FILE",
                description = "a sweep file (YAML; docs/sweeps.md) or a frozen plan.json (or its folder): resubmits what is not "
                        + "done")
        Path sweep;

        @Option(names = {"-p", "--param"}, paramLabel = "KEY=V1,V2",
                description = "a parameter or grid axis (repeatable); a list parameter's alternatives are separated by ';'")
        List<String> params = new ArrayList<>();

        @Option(names = "--cell", paramLabel = "SELECTOR=LIST",
                description = "fan a study out: one cell run per element of list parameter LIST, in SELECTOR (repeatable)")
        List<String> cells = new ArrayList<>();

        @Option(names = "--fit", paramLabel = "PARAM", description = "the fit after the cells: path parameter PARAM gets the results folder")
        String fit;

        @Option(names = "--profile", paramLabel = "quick|full", defaultValue = "full",
                description = "default profile of the runs (default: the sweep file's, else ${DEFAULT-VALUE})")
        String profile;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
                description = "results folder (default: a frozen plan's, else ${DEFAULT-VALUE}); the sweep goes to DIR/sweeps/<id>")
        Path out;

        SweepRequest request(CommandSpec spec) {
            var parsed = spec.commandLine().getParseResult();
            Profile p;
            try {
                p = Profile.parse(profile);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            return new SweepRequest(sweep, selectors, params, fanOut(), p, parsed.hasMatchedOption("--profile"), out,
                    parsed.hasMatchedOption("--out"));
        }

        private SweepSpec.FanOut fanOut() {
            if (cells.isEmpty() != (fit == null)) {
                throw new UsageException("a fanned-out study needs both --cell SELECTOR=LIST (one or more) and --fit PARAM");
            }
            if (cells.isEmpty()) {
                return null;
            }
            Map<String, String> m = new LinkedHashMap<>();
            RunPlan.parseParams(cells).forEach(m::put);
            return new SweepSpec.FanOut(m, fit);
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Prints the sweep's runs (index, run id, parameters) without running them, and freezes the plan in "
                    + "RESULTS/sweeps/<sweep id>/plan.json. Every value is validated first.")
    static final class Plan implements Callable<Integer> {
        @Mixin
        Inputs inputs;

        @Spec
        CommandSpec spec;

        @Inject
        Catalogs catalogs;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Catalog catalog = catalogs.open(inputs.plugins.folder, spec.commandLine().getErr());
            SweepRequest.Resolved r = inputs.request(spec).resolve(catalog);
            SweepPlan plan = r.plan();
            out.println("sweep " + plan.id() + ": " + plan.size() + " runs" + (plan.fit() != null ? " (" + plan.runs().size()
                    + " cells and a fit)" : "") + (r.duplicatesDropped() > 0 ? ", " + r.duplicatesDropped()
                    + " repeated configurations planned once" : ""));
            out.println("plan: " + plan.planFile());
            out.println("results: " + r.results());
            out.printf("%-6s %-12s %-28s %s%n", "INDEX", "RUN", "EXPERIMENT", "PARAMS");
            for (SweepPlan.Entry e : plan.entries()) {
                List<String> kv = new ArrayList<>();
                e.params().forEach((k, v) -> kv.add(k + "=" + v));
                out.printf("%-6s %-12s %-28s %s%n", plan.isFit(e.index()) ? e.index() + "*" : Integer.toString(e.index()),
                        e.runId(), e.experiment(), String.join(" ", kv));
            }
            if (plan.fit() != null) {
                out.println("* the fit: runs after every cell is done");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Runs the sweep: --launcher local here (one after the other, or --jobs N processes), slurm as one job "
                    + "array (sbatch --array; a fanned-out study's fit as a job after it), k8s as a written Indexed Job "
                    + "manifest. Submitting the same sweep again runs only what is neither done nor queued.")
    static final class Submit implements Callable<Integer> {
        @Mixin
        Inputs inputs;

        @Option(names = "--launcher", paramLabel = "local|slurm|k8s", defaultValue = "local",
                description = "where the runs go (default: ${DEFAULT-VALUE})")
        String launcher;

        @Option(names = "--jobs", paramLabel = "N", description = "local: N child processes (default: this process)")
        Integer jobs;

        @Option(names = "--device", paramLabel = "auto|cpu|gpu", description = "compute device of the runs")
        String device;

        @Option(names = "--timeout", paramLabel = "DURATION",
                description = "local: time limit of each run (90s, 30m, 2h, none; default: the experiment's, else quick 30m, full none)")
        String timeout;

        @Option(names = "--rerun", description = "local: run configurations that already finished ok again")
        boolean rerun;

        @Option(names = "--pushgateway", paramLabel = "URL", description = "each run pushes its meters there (job=dlx, instance=<run id>)")
        String pushgateway;

        @Option(names = "--parallelism", paramLabel = "P", description = "slurm, k8s: at most P runs at a time (sbatch --array=...%%P)")
        Integer parallelism;

        @Option(names = "--partition", paramLabel = "NAME", description = "slurm: partition")
        String partition;

        @Option(names = "--time", paramLabel = "LIMIT", description = "slurm: time limit per task, as sbatch takes it (60, 1:00:00)")
        String time;

        @Option(names = "--cpus", paramLabel = "N", description = "slurm: CPUs per task; k8s: CPU request")
        Integer cpus;

        @Option(names = "--mem", paramLabel = "SIZE", description = "slurm: memory per task (8G); k8s: memory request and limit (8Gi)")
        String mem;

        @Option(names = "--gpus", paramLabel = "N", description = "GPUs per task (slurm: --gres=gpu:N unless --gres; k8s: nvidia.com/gpu)")
        Integer gpus;

        @Option(names = "--gres", paramLabel = "SPEC", description = "slurm: generic resources, e.g. gpu:a100:1")
        String gres;

        @Option(names = "--account", paramLabel = "NAME", description = "slurm: account to charge")
        String account;

        @Option(names = "--sbatch-arg", paramLabel = "ARG", description = "slurm: another sbatch option, e.g. --qos=long (repeatable)")
        List<String> sbatchArgs = new ArrayList<>();

        @Option(names = "--signal-seconds", paramLabel = "S", defaultValue = "120",
                description = "slurm: USR1 this long before the time limit: the run stops at its checkpoint and requeues (default: "
                        + "${DEFAULT-VALUE}; 0: off)")
        int signalSeconds;

        @Option(names = "--max-requeues", paramLabel = "N", defaultValue = "3",
                description = "slurm: how many times a task requeues itself (default: ${DEFAULT-VALUE})")
        int maxRequeues;

        @Option(names = "--dlx", paramLabel = "PATH", description = "slurm: the dlx command on the nodes (default: this distribution's bin/dlx)")
        Path dlx;

        @Option(names = "--image", paramLabel = "IMAGE", description = "k8s: the container image (see the Dockerfile in docs/sweeps.md)")
        String image;

        @Option(names = "--namespace", paramLabel = "NS", description = "k8s: namespace")
        String namespace;

        @Option(names = "--claim", paramLabel = "NAME", defaultValue = "dlx-results",
                description = "k8s: the PersistentVolumeClaim holding the results (default: ${DEFAULT-VALUE})")
        String claim;

        @Option(names = "--claim-size", paramLabel = "SIZE", description = "k8s: also create the claim, this big (e.g. 20Gi)")
        String claimSize;

        @Option(names = "--storage-class", paramLabel = "NAME", description = "k8s: storage class of a created claim")
        String storageClass;

        @Option(names = "--backoff-limit-per-index", paramLabel = "N", defaultValue = "2",
                description = "k8s: retries of each index (default: ${DEFAULT-VALUE})")
        int backoffLimitPerIndex;

        @Spec
        CommandSpec spec;

        @Inject
        Catalogs catalogs;

        @Inject
        Provider<Orchestrator> orchestrator;

        @Inject
        Provider<PrometheusMeterRegistry> registry;

        @Inject
        PlatformConfig config;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!List.of("local", "slurm", "k8s").contains(launcher)) {
                throw new UsageException("--launcher must be local, slurm or k8s, got '" + launcher + "'");
            }
            if (jobs != null && !launcher.equals("local")) {
                throw new UsageException("--jobs is for --launcher local; use --parallelism with " + launcher);
            }
            if (pushgateway != null) {
                RunPusher.parse(pushgateway);
            }
            // every typed configuration key too, before anything runs
            Device chosen = usage(() -> {
                config.check();
                return device != null ? Device.parse(device) : config.device();
            });
            java.util.Optional<java.time.Duration> limit = TimeLimits.option(timeout);
            // fail on options before planning writes anything
            Slurm.Options slurm = launcher.equals("slurm") ? slurmOptions() : null;
            Kubernetes.Options k8s = launcher.equals("k8s") ? k8sOptions() : null;
            Path dlxCommand = launcher.equals("slurm") ? dlxCommand() : null;
            if (launcher.equals("slurm")) {
                Slurm.requireSbatch();
            }
            Catalog catalog = catalogs.open(inputs.plugins.folder, err);
            SweepRequest.Resolved r = inputs.request(spec).resolve(catalog);
            SweepPlan plan = r.plan();
            return switch (launcher) {
                case "slurm" -> slurm(r, slurm, dlxCommand, catalogs.folder(inputs.plugins.folder), out, err);
                case "k8s" -> {
                    Path manifest = Kubernetes.write(plan, k8s);
                    Submissions.append(plan.folder(), Submissions.now("k8s", null, r.allIndices(), null, null,
                            "kubectl apply -f " + manifest));
                    out.println("sweep " + plan.id() + ": " + plan.size() + " runs as an Indexed Job in " + manifest);
                    out.println("kubectl apply -f " + manifest);
                    out.flush();
                    yield 0;
                }
                default -> local(r, chosen, limit, out, err);
            };
        }

        private int local(SweepRequest.Resolved r, Device chosen, java.util.Optional<java.time.Duration> limit,
                          PrintWriter out, PrintWriter err)
                throws Exception {
            SweepRunOptions options = new SweepRunOptions();
            options.jobs = jobs;
            options.pushgateway = pushgateway;
            options.pushInterval = 15;
            options.childTimeout = timeout;
            Orchestrator runs = orchestrator.get();
            if (WorkerProcesses.enabled(config)) {
                runs.supervised(catalogs.folder(inputs.plugins.folder), new MeterRelay(registry.get()), limit);
            }
            try (RunPusher pusher = options.pusher(registry::get, err)) {
                return options.run(r, runs, chosen, rerun, out, err,
                        pusher != null ? pusher : Orchestrator.Listener.NONE, config.get(PlatformConfig.HOME.name()),
                        catalogs.folder(inputs.plugins.folder), device);
            }
        }

        private int slurm(SweepRequest.Resolved r, Slurm.Options o, Path dlxCommand, Path plugins, PrintWriter out,
                          PrintWriter err) throws Exception {
            SweepPlan plan = r.plan();
            List<SweepStatus.IndexStatus> status = SweepStatus.of(plan, r.results(), SweepStatus.slurmQueue(plan));
            List<Integer> todo = new ArrayList<>();
            Set<String> activeCellJobs = new LinkedHashSet<>();
            boolean fitNeeded = false;
            for (SweepStatus.IndexStatus s : status) {
                boolean fit = plan.isFit(s.index());
                if (s.active() && !fit) {
                    // "RUNNING job 12_3": the job holding a cell that is still queued or running
                    java.util.regex.Matcher job = java.util.regex.Pattern.compile("job (\\d+)").matcher(s.detail());
                    if (job.find()) {
                        activeCellJobs.add(job.group(1));
                    }
                } else if (!s.done() && !s.active()) {
                    if (fit) {
                        fitNeeded = true;
                    } else {
                        todo.add(s.index());
                    }
                }
            }
            if (todo.isEmpty() && !fitNeeded) {
                out.println("sweep " + plan.id() + ": nothing to submit, every run is done or queued ("
                        + SweepStatus.summary(status) + ")");
                out.flush();
                return 0;
            }
            List<String> task = new ArrayList<>(List.of(dlxCommand.toString(), "run", "--sweep", plan.planFile().toString(),
                    "--plugins", plugins.toAbsolutePath().toString()));
            if (!r.results().equals(plan.results())) {
                task.addAll(List.of("--out", r.results().toString()));
            }
            if (device != null) {
                task.addAll(List.of("--device", device));
            }
            if (pushgateway != null) {
                task.addAll(List.of("--pushgateway", pushgateway));
            }
            String dependsOn = activeCellJobs.isEmpty() ? null : String.join(":", activeCellJobs);
            Slurm.Submitted s = Slurm.submit(plan, todo, fitNeeded, dependsOn, o, task, err);
            Submissions.append(plan.folder(), Submissions.now("slurm", s.arrayJobId(), todo, s.fitJobId(),
                    fitNeeded ? plan.fit().index() : null, s.command()));
            if (s.arrayJobId() != null) {
                out.println("sweep " + plan.id() + ": submitted job array " + s.arrayJobId() + " (" + todo.size() + " of "
                        + plan.runs().size() + " runs, indices " + todo + ")");
            }
            if (s.fitJobId() != null) {
                out.println("sweep " + plan.id() + ": submitted the fit as job " + s.fitJobId()
                        + (s.arrayJobId() != null || dependsOn != null ? " (after " + (s.arrayJobId() != null ? s.arrayJobId()
                        : dependsOn) + ")" : ""));
            }
            out.println("script: " + s.script());
            out.println("dlx sweep status " + plan.folder());
            out.flush();
            return 0;
        }

        private Slurm.Options slurmOptions() {
            String g = gres != null ? gres : gpus != null && gpus > 0 ? "gpu:" + gpus : null;
            return new Slurm.Options(partition, time, cpus, mem, g, parallelism, account, sbatchArgs, signalSeconds, maxRequeues);
        }

        private Kubernetes.Options k8sOptions() {
            return new Kubernetes.Options(image, namespace, claim, claimSize, storageClass, cpus == null ? null : cpus.toString(),
                    mem, gpus == null ? 0 : gpus, parallelism == null ? 1 : parallelism, backoffLimitPerIndex,
                    "-XX:MaxRAMPercentage=75");
        }

        /** The dlx the tasks start: --dlx, else this distribution's bin/dlx. */
        private Path dlxCommand() {
            if (dlx != null) {
                return dlx.toAbsolutePath();
            }
            return config.get(PlatformConfig.HOME.name()).map(h -> Path.of(h, "bin", "dlx").toAbsolutePath())
                    .filter(Files::isExecutable).orElseThrow(() -> new UsageException(
                            "--dlx PATH: the dlx command the cluster's nodes run (default: this distribution's bin/dlx, unknown here)"));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows every index of a sweep: done, running, pending (queued or requeued), failed (with the error's "
                    + "first line) or missing, from the runs' results and from Slurm's queue where it has jobs.")
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "the sweep's folder (RESULTS/sweeps/<id>) or its plan.json")
        Path dir;

        @Option(names = "--out", paramLabel = "DIR", description = "the results folder (default: the plan's)")
        Path out;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            SweepPlan plan = SweepPlan.read(dir);
            Path results = out != null ? out.toAbsolutePath() : plan.results();
            List<SweepStatus.IndexStatus> all = SweepStatus.of(plan, results, SweepStatus.slurmQueue(plan));
            if (json) {
                ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                ObjectNode root = m.createObjectNode().put("sweep", plan.id()).put("results", results.toString());
                ObjectNode counts = root.putObject("counts");
                SweepStatus.STATES.forEach(st -> counts.put(st, all.stream().filter(s -> s.state().equals(st)).count()));
                ArrayNode runs = root.putArray("runs");
                for (SweepStatus.IndexStatus s : all) {
                    runs.addObject().put("index", s.index()).put("experiment", s.experiment()).put("runId", s.runId())
                            .put("state", s.state()).put("detail", s.detail()).put("fit", plan.isFit(s.index()));
                }
                w.println(m.writeValueAsString(root));
            } else {
                w.println("sweep " + plan.id() + ": " + plan.size() + " runs; results " + results);
                for (Submissions.Submission s : Submissions.read(plan.folder())) {
                    w.println("  " + s.submitted() + " " + s.launcher() + (s.jobId() != null ? " job " + s.jobId() : "")
                            + (s.fitJobId() != null ? ", fit job " + s.fitJobId() : "") + ": indices " + s.indices());
                }
                SweepStatus.print(all, w);
            }
            w.flush();
            return 0;
        }
    }

    private static <T> T usage(Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
