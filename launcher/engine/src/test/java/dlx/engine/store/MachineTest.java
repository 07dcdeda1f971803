package dlx.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The machine description dlx bench prints, checked against values read here another way. */
class MachineTest {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    @Test
    void namesTheCpuAndItsVectorExtensionsAsProcCpuinfoDoes() throws Exception {
        assumeTrue(Files.isReadable(CPUINFO), "not Linux");
        String text = Files.readString(CPUINFO);
        String model = text.lines().filter(l -> l.matches("model name\\s*:.*")).findFirst()
                .map(l -> l.replaceFirst("model name\\s*:\\s*", "").trim()).orElse(System.getProperty("os.arch"));
        Set<String> flags = text.lines().filter(l -> l.matches("(flags|Features)\\s*:.*")).findFirst()
                .map(l -> Arrays.stream(l.replaceFirst("^[^:]*:", "").trim().split(" +")).collect(Collectors.toSet()))
                .orElse(Set.of());
        Map<String, String> d = Machine.current(Map.of()).describe();
        assertThat(d.get("cpu")).isEqualTo(model);
        Set<String> listed = Set.of(d.get("cpuVectorExtensions").split(" "));
        for (String f : List.of("avx", "avx2", "avx512f", "fma", "avx512_vnni", "asimd", "sve")) {
            assertThat(listed.contains(f)).as(f).isEqualTo(flags.contains(f));
        }
        assertThat(listed).doesNotContain("fpu", "sse2", "ht").allMatch(flags::contains);
    }

    @Test
    void countsPhysicalCoresAsLscpuDoes() throws Exception {
        assumeTrue(Files.isReadable(CPUINFO), "not Linux");
        List<String> lscpu;
        try {
            lscpu = run("lscpu", "-p=core,socket");
        } catch (java.io.IOException e) {
            assumeTrue(false, "no lscpu");
            return;
        }
        long cores = lscpu.stream().filter(l -> !l.startsWith("#")).distinct().count();
        assertThat(Machine.physicalCores(Machine.cpuinfo())).contains((int) cores);
        assertThat(Machine.current(Map.of()).describe().get("threads"))
                .contains("available processors " + Runtime.getRuntime().availableProcessors())
                .contains("physical cores " + cores);
    }

    @Test
    void givesHotSpotsVectorFlagsAsPrintFlagsFinalShowsThem() throws Exception {
        // A second JVM with the same flags reports its final values: the ergonomics pick them from the CPU.
        List<String> args = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:")).forEach(args::add);
        args.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Map<String, String> flags = new HashMap<>();
        for (String line : run(args.toArray(String[]::new))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[2].equals("=")) {
                flags.put(f[1], f[3]);
            }
        }
        String jvm = Machine.current(Map.of()).describe().get("jvmVector");
        for (String name : List.of("UseAVX", "MaxVectorSize")) {
            if (flags.containsKey(name)) {
                assertThat(jvm).contains(name + "=" + flags.get(name));
            }
        }
        boolean incubator = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertThat(jvm).contains(incubator ? "Vector API preferred species" : "Vector API not loaded");
    }

    @Test
    void reportsTheThreadSettingsItIsGiven() {
        // the ONNX Runtime settings are configuration keys: here from the environment, as DLX_ORT_*
        Machine m = Machine.current(Map.of("OMP_NUM_THREADS", "5", "DLX_ORT_THREADS", "3", "DLX_ORT_SPINNING", "true"));
        assertThat(m.describe().get("threads")).contains("OMP_NUM_THREADS 5", "ONNX Runtime intra-op 3, spinning on");
        assertThat(m.lines("  ")).contains("  cpu: ", "  jvmVector: ", "  threads: ");
        assertThat(Machine.current(Map.of()).describe().get("threads")).contains("OMP_NUM_THREADS unset")
                .contains("ONNX Runtime intra-op default (one per physical core: ").contains("spinning off");
    }

    private static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = r.lines().toList();
            p.waitFor();
            return lines;
        }
    }
}
