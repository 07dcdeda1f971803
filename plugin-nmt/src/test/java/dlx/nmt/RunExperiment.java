package dlx.nmt;

import dlx.api.Experiment;
import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Device;
import dlx.kit.runtime.EnvDataLocations;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.ProgressBars;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one nmt experiment through the platform runner without the launcher (development aid):
 * {@code java -cp ... dlx.nmt.RunExperiment OUT_DIR ID [key=value ...]}.
 */
public final class RunExperiment {
    private RunExperiment() { }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        String id = args[1];
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            params.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Experiment experiment = null;
        for (Class<? extends Experiment> c : new NmtPlugin().experiments()) {
            Experiment e = c.getDeclaredConstructor().newInstance();
            if (e.spec().id().equals(id)) {
                experiment = e;
            }
        }
        if (experiment == null) {
            throw new IllegalArgumentException("no experiment " + id);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunSettings settings = new RunSettings(out, registry, EnvDataLocations.fromEnvironment(), Device.AUTO,
                ProgressBars.none(registry), line -> System.out.println(java.time.LocalTime.now() + " " + line),
                new AtomicBoolean());
        ExperimentResult r = new ExperimentRunner(settings).run(experiment, "nmt", params, Profile.FULL);
        System.out.println(r.status() + (r.error() == null ? "" : " " + r.error()));
        System.out.println("answers " + r.answers());
        System.out.println("metrics " + r.metrics());
    }
}
