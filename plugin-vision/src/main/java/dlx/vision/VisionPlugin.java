package dlx.vision;

import dlx.api.Experiment;
import dlx.api.Plugin;
import java.util.List;

/** The Fashion-MNIST studies of the catalogue (scratch MLP optimisation studies and the DJL OOD study). */
public final class VisionPlugin implements Plugin {
    @Override
    public String name() {
        return "vision";
    }

    @Override
    public List<Class<? extends Experiment>> experiments() {
        return List.of(MlpScratchExperiment.class, BatchSizeExperiment.class, EarlyStoppingExperiment.class,
                MomentumExperiment.class, OodExperiment.class, MlpBenchmarkExperiment.class);
    }
}
