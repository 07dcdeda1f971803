package dlx.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What a run ran on, for {@code environment} in {@code result.json}: dlx's version and commit,
 * the plugin and kit jars with their digests, Java, OS, CPU, heap, the versions of the libraries
 * really loaded (read from their jars, not typed in), thread settings, host, command line, and a
 * scheduler's identity (Slurm, Kubernetes) when there is one.
 */
public final class Environment {
    /** Libraries whose loaded versions matter for the numbers: (label, a class of theirs). */
    private static final List<String[]> LIBRARIES = List.of(
            new String[] {"djl", "ai.djl.engine.Engine"},
            new String[] {"djlPytorchEngine", "ai.djl.pytorch.engine.PtEngine"},
            new String[] {"onnxruntime", "ai.onnxruntime.OrtEnvironment"},
            new String[] {"djlTokenizers", "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer"},
            new String[] {"ejml", "org.ejml.data.DMatrixRMaj"});
    private static final List<String> SCHEDULER_VARIABLES = List.of("SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID",
            "SLURM_ARRAY_TASK_ID", "SLURM_RESTART_COUNT", "SLURM_JOB_PARTITION", "SLURMD_NODENAME",
            "JOB_COMPLETION_INDEX");

    private Environment() { }

    /** The environment of a run of {@code experimentClass}, started now. */
    public static Map<String, Object> capture(Class<?> experimentClass, String pluginVersion, Map<String, String> env) {
        Map<String, Object> e = new LinkedHashMap<>();
        Properties build = buildInfo();
        e.put("dlxVersion", build.getProperty("version", "dev"));
        e.put("dlxCommit", build.getProperty("commit", "unknown"));
        Map<String, Object> plugin = new LinkedHashMap<>();
        Optional<Path> jar = CodeDigests.location(experimentClass);
        plugin.put("jar", jar.map(p -> p.getFileName().toString()).orElse("unknown"));
        plugin.put("version", pluginVersion);
        plugin.put("sha256", jar.map(CodeDigests::sha256).orElse("unknown"));
        e.put("plugin", plugin);
        Optional<Path> kit = CodeDigests.kitLocation(experimentClass.getClassLoader());
        if (kit.isPresent()) {
            e.put("kit", Map.of("jar", kit.get().getFileName().toString(), "sha256", CodeDigests.sha256(kit.get())));
        }
        e.put("java", Map.of("vendor", System.getProperty("java.vendor", "?"), "version", Runtime.version().toString(),
                "vm", System.getProperty("java.vm.name", "?")));
        e.put("os", Map.of("name", System.getProperty("os.name", "?"), "version", System.getProperty("os.version", "?"),
                "arch", System.getProperty("os.arch", "?")));
        // the machine as dlx bench prints it: the CPU, the vector code the JVM runs, the thread settings
        Map<String, String> machine = Machine.current(env).describe();
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("model", machine.get("cpu"));
        cpu.put("cores", Runtime.getRuntime().availableProcessors());
        cpu.put("vectorExtensions", machine.get("cpuVectorExtensions"));
        cpu.put("jvmVector", machine.get("jvmVector"));
        e.put("cpu", cpu);
        e.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        e.put("libraries", libraries(experimentClass.getClassLoader()));
        onnxRuntimeProviders(experimentClass).ifPresent(p -> e.put("onnxRuntimeProvidersAvailable", p));
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        threads.put("ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
        threads.put("OMP_NUM_THREADS", env.getOrDefault("OMP_NUM_THREADS", "default"));
        threads.put("summary", machine.get("threads"));
        e.put("threads", threads);
        e.put("host", RunFolder.hostName());
        e.put("commandLine", ProcessHandle.current().info().commandLine().orElse("unknown"));
        Map<String, Object> scheduler = new LinkedHashMap<>();
        SCHEDULER_VARIABLES.forEach(v -> {
            if (env.containsKey(v)) {
                scheduler.put(v, env.get(v));
            }
        });
        if (env.containsKey("KUBERNETES_SERVICE_HOST") && env.containsKey("HOSTNAME")) {
            scheduler.put("kubernetesPod", env.get("HOSTNAME"));
        }
        if (!scheduler.isEmpty()) {
            e.put("scheduler", scheduler);
        }
        e.put("startedUtc", Instant.now().toString());
        return e;
    }

    /** dlx's version and git commit, stamped into the engine jar at build time. */
    static Properties buildInfo() {
        Properties p = new Properties();
        try (InputStream in = Environment.class.getResourceAsStream("/dlx/engine/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // dev build
        }
        return p;
    }

    /** Versions of the libraries the plugin's loader sees, from their module descriptors or jar manifests. */
    static Map<String, String> libraries(ClassLoader loader) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] lib : LIBRARIES) {
            try {
                Class<?> type = Class.forName(lib[1], false, loader);
                String version = type.getModule().isNamed()
                        ? type.getModule().getDescriptor().rawVersion().orElse(null) : null;
                if (version == null && type.getPackage() != null) {
                    version = type.getPackage().getImplementationVersion();
                }
                if (version == null) {
                    version = CodeDigests.location(type).map(p -> versionFromFileName(p.getFileName().toString())).orElse("?");
                }
                out.put(lib[0], version);
            } catch (ClassNotFoundException | LinkageError e) {
                // not loaded by this plugin
            }
        }
        return out;
    }

    /**
     * The execution providers the loaded ONNX Runtime build offers, for a plugin module that reads
     * ONNX Runtime (asking loads its native library, which other plugins need not pay for). The one
     * really used is the result's {@code device}.
     */
    static Optional<String> onnxRuntimeProviders(Class<?> experimentClass) {
        Module plugin = experimentClass.getModule();
        if (!plugin.isNamed() || plugin.getLayer() == null) {
            return Optional.empty();
        }
        Optional<Module> ort = plugin.getLayer().findModule("com.microsoft.onnxruntime");
        if (ort.isEmpty() || !plugin.canRead(ort.get())) {
            return Optional.empty();
        }
        try {
            Class<?> env = Class.forName("ai.onnxruntime.OrtEnvironment", true, experimentClass.getClassLoader());
            return Optional.of(String.valueOf(env.getMethod("getAvailableProviders").invoke(null)));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code api-0.34.0.jar} gives {@code 0.34.0}. */
    static String versionFromFileName(String name) {
        String base = name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(\\d[\\w.\\-]*)$").matcher(base);
        return m.find() ? m.group(1) : "?";
    }
}
