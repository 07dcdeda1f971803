package dlx.bert;

import dlx.api.Experiment;
import dlx.api.Plugin;
import java.util.List;

/** The bert.* experiments: pretrained encoders exported to ONNX, on verbal arithmetic. */
public final class BertPlugin implements Plugin {
    @Override
    public String name() {
        return "bert";
    }

    @Override
    public List<Class<? extends Experiment>> experiments() {
        return List.of(FrozenExperiment.class, FinetuneExperiment.class, ComparePretrainingExperiment.class,
                InspectExperiment.class, EncodeBenchmarkExperiment.class);
    }
}
