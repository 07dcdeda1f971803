package dlx.theory;

import dlx.api.Experiment;
import java.util.List;

/** Normalisation, decoding, exhaustive search, RNN, gradient clipping, dropout, perceptron, backprop and parameter-count exercises. */
final class ModelAndAlgorithmExperiments {
    static final List<Class<? extends Experiment>> ALL = List.of(NormalizationExperiment.class,
            DecodingExperiment.class,
            ExhaustiveSearchExperiment.class,
            DropoutGaussianExperiment.class,
            DropoutTikhonovExperiment.class,
            RnnGradientsExperiment.class,
            GradientClippingExperiment.class,
            MiniCnnBackpropExperiment.class,
            MulticlassPerceptronExperiment.class,
            ParamCountsExperiment.class);

    private ModelAndAlgorithmExperiments() { }
}
