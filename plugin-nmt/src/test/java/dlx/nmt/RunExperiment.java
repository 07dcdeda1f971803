package dlx.nmt;

import dlx.api.Device;
import dlx.api.Experiment;
import dlx.engine.ExperimentResult;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one nmt experiment through the platform's test kit without the launcher (development aid,
 * full profile, device auto): {@code java -cp ... dlx.nmt.RunExperiment OUT_DIR ID [key=value ...]}.
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
        ExperimentTestKit kit = ExperimentTestKit.full(experiment).params(params).in(out).device(Device.AUTO).plugin("nmt");
        ExperimentResult r = kit.run();
        kit.log().forEach(System.out::println);
        System.out.println(r.status() + (r.error() == null ? "" : " " + r.error()));
        System.out.println("answers " + r.answers());
        System.out.println("metrics " + r.metrics());
    }
}
