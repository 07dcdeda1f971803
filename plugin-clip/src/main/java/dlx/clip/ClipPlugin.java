package dlx.clip;

import dlx.api.Experiment;
import dlx.api.Plugin;
import java.util.List;

/** CLIP on exported ONNX models: zero-shot classification and caption search. */
public final class ClipPlugin implements Plugin {
    @Override
    public String name() {
        return "clip";
    }

    @Override
    public List<Class<? extends Experiment>> experiments() {
        return List.of(ZeroShotExperiment.class, CaptionSearchExperiment.class, EncodeBenchmarkExperiment.class);
    }
}
