package dlx.launcher.builtin;

import dlx.api.Experiment;
import dlx.api.Plugin;
import java.util.List;

/** The launcher's own experiments: benchmarks of the platform itself, run by {@code dlx bench} like any other. */
public final class PlatformPlugin implements Plugin {
    @Override
    public String name() {
        return "platform";
    }

    @Override
    public List<Class<? extends Experiment>> experiments() {
        return List.of(RunIndexBenchmark.class, ReportBenchmark.class);
    }
}
