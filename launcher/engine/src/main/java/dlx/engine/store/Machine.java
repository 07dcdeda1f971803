package dlx.engine.store;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dlx.engine.config.PlatformConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a benchmark's figures depend on, so that figures from different machines are never
 * compared blind: the CPU model, the vector extensions the CPU has and those the JVM uses
 * (HotSpot's {@code UseAVX} and {@code MaxVectorSize}, the Vector API's preferred species when
 * {@code jdk.incubator.vector} is loaded), and the thread settings of the JVM and of the native
 * libraries (libtorch through DJL, ONNX Runtime, OpenMP).
 */
public final class Machine {
    /** The CPU flags that name vector instruction sets (x86 and ARM). */
    static final Pattern VECTOR_FLAG = Pattern.compile("avx.*|fma|sse4_2|amx.*|asimd.*|sve.*");
    private final Map<String, String> description;

    private Machine(Map<String, String> description) {
        this.description = description;
    }

    /** This machine and this JVM, with the environment variables {@code env}. */
    public static Machine current(Map<String, String> env) {
        List<String> cpuinfo = cpuinfo();
        Map<String, String> d = new LinkedHashMap<>();
        d.put("cpu", cpuModel(cpuinfo).orElse(System.getProperty("os.arch", "unknown")));
        d.put("cpuVectorExtensions", String.join(" ", vectorFlags(cpuinfo)));
        d.put("jvmVector", jvmVector());
        int processors = Runtime.getRuntime().availableProcessors();
        int cores = physicalCores(cpuinfo).orElse(processors);
        d.put("threads", "available processors " + processors + ", physical cores " + cores
                + "; ONNX Runtime intra-op " + ortThreads(new PlatformConfig(env, System.getProperties()), cores)
                + "; libtorch (DJL) intra-op " + System.getProperty("ai.djl.pytorch.num_threads", "default")
                + ", inter-op " + System.getProperty("ai.djl.pytorch.num_interop_threads", "default")
                + "; OMP_NUM_THREADS " + env.getOrDefault("OMP_NUM_THREADS", "unset"));
        return new Machine(d);
    }

    /** cpu, cpuVectorExtensions, jvmVector and threads, in words. */
    public Map<String, String> describe() {
        return description;
    }

    /** One line per entry, {@code prefix} first (what {@code dlx bench} prints with its figures). */
    public String lines(String prefix) {
        StringBuilder b = new StringBuilder();
        description.forEach((k, v) -> b.append(prefix).append(k).append(": ").append(v).append(System.lineSeparator()));
        return b.toString();
    }

    static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of(); // not Linux
        }
    }

    static Optional<String> cpuModel(List<String> cpuinfo) {
        return value(cpuinfo, "model name");
    }

    /** The vector instruction sets among the CPU's flags, sorted. */
    static Set<String> vectorFlags(List<String> cpuinfo) {
        Set<String> out = new TreeSet<>();
        value(cpuinfo, "flags").or(() -> value(cpuinfo, "Features")).ifPresent(flags -> {
            for (String f : flags.trim().split("\\s+")) {
                if (VECTOR_FLAG.matcher(f).matches()) {
                    out.add(f);
                }
            }
        });
        return out;
    }

    /** Distinct (physical id, core id) pairs: the cores, without their hyper-threads. */
    static Optional<Integer> physicalCores(List<String> cpuinfo) {
        Set<String> cores = new HashSet<>();
        String socket = "0";
        for (String line : cpuinfo) {
            String key = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
            String v = line.contains(":") ? line.substring(line.indexOf(':') + 1).trim() : "";
            if (key.equals("physical id")) {
                socket = v;
            } else if (key.equals("core id")) {
                cores.add(socket + "/" + v);
            }
        }
        return cores.isEmpty() ? Optional.empty() : Optional.of(cores.size());
    }

    private static Optional<String> value(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }

    /** HotSpot's vector flags and, when the Vector API is loaded, its preferred species. */
    static String jvmVector() {
        StringBuilder b = new StringBuilder();
        for (String flag : List.of("UseAVX", "UseSSE", "MaxVectorSize", "UseSVE")) {
            hotSpotOption(flag).ifPresent(v -> b.append(b.length() == 0 ? "" : ", ").append(flag).append('=').append(v));
        }
        b.append(b.length() == 0 ? "" : "; ").append(vectorApiSpecies()
                .map(s -> "Vector API preferred species " + s)
                .orElse("Vector API not loaded (jdk.incubator.vector is not in the boot layer)"));
        return b.toString();
    }

    /** A HotSpot flag's value (empty on another JVM or for a flag this CPU's build lacks). */
    static Optional<String> hotSpotOption(String name) {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption option = bean == null ? null : bean.getVMOption(name);
            return option == null ? Optional.empty() : Optional.of(option.getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** {@code FloatVector.SPECIES_PREFERRED} in words, read reflectively: the incubator module is optional. */
    static Optional<String> vectorApiSpecies() {
        Optional<Module> module = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (module.isEmpty()) {
            return Optional.empty();
        }
        try {
            Class<?> floatVector = Class.forName(module.get(), "jdk.incubator.vector.FloatVector");
            Object species = floatVector.getField("SPECIES_PREFERRED").get(null);
            Class<?> speciesType = Class.forName(module.get(), "jdk.incubator.vector.VectorSpecies");
            int bits = (int) speciesType.getMethod("vectorBitSize").invoke(species);
            int lanes = (int) speciesType.getMethod("length").invoke(species);
            return Optional.of(bits + "-bit (" + lanes + " floats)");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The kit's ONNX Runtime settings as configured (as given: a bad value is refused before a run starts, not here). */
    private static String ortThreads(PlatformConfig config, int cores) {
        String threads = config.entry(PlatformConfig.ORT_THREADS.name()).value();
        String pool = threads.equals("0") ? "default (one per physical core: " + cores + ")" : threads;
        return pool + ", spinning " + (config.entry(PlatformConfig.ORT_SPINNING.name()).value().equalsIgnoreCase("true")
                ? "on" : "off") + " (keys " + PlatformConfig.ORT_THREADS.name() + ", " + PlatformConfig.ORT_SPINNING.name() + ")";
    }
}
