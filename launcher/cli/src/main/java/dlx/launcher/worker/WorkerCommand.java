package dlx.launcher.worker;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of a worker JVM: the launcher's own java, JVM options, module path and class
 * path (as {@code bin/dlx} started it, {@code DLX_JAVA_OPTS} included), with the worker's entry
 * point instead of {@code dlx.launcher.Main}. A crash report goes to a file the supervisor reads;
 * no core dump is written (libtorch's would be gigabytes).
 */
final class WorkerCommand {
    static final String ENTRY = "dlx.launcher/" + WorkerMain.class.getName();

    private WorkerCommand() { }

    static List<String> of(Path crashDir, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(jvm());
        if (crashDir != null) {
            cmd.add("-XX:ErrorFile=" + crashDir.resolve("hs_err_pid%p.log"));
        }
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-m");
        cmd.add("dlx.launcher/" + mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** The java executable and every option before {@code -m <module>/<class>}: from /proc where the OS tells, else rebuilt. */
    static List<String> jvm() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> command = info.command();
        Optional<String[]> arguments = info.arguments();
        if (command.isPresent() && arguments.isPresent()) {
            List<String> options = new ArrayList<>();
            for (String a : arguments.get()) {
                if (a.equals("-m") || a.equals("--module") || a.startsWith("--module=")) {
                    List<String> cmd = new ArrayList<>();
                    cmd.add(command.get());
                    cmd.addAll(options);
                    return cmd;
                }
                options.add(a);
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && cmd.stream().noneMatch(a -> a.startsWith("--module-path") || a.startsWith("-Djdk.module.path"))) {
            cmd.addAll(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH"));
        }
        String classPath = System.getProperty("java.class.path");
        if (classPath != null && !classPath.isEmpty()) {
            cmd.addAll(List.of("--class-path", classPath));
        }
        return cmd;
    }
}
