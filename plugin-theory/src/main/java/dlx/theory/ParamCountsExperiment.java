package dlx.theory;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.djl.FashionModels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Parameter counts of the three Fashion-MNIST models that plugin-vision trains
 * ({@link FashionModels}): each block is initialised in DJL on the (1, 1, 28, 28) input and its
 * parameter arrays summed; the count is checked against the arithmetic from the layer shapes
 * (dense: in·out + out; convolution: c_in·k_h·k_w·c_out + c_out; valid convolutions and 2×2 pools).
 */
public final class ParamCountsExperiment implements Experiment {

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.param-counts")
                .title("Parameter counts of the Fashion-MNIST MLP, 2-layer CNN and 3-layer CNN")
                .description("Counts the parameters of the models plugin-vision builds (DJL blocks initialised on a "
                        + "1x1x28x28 input) and checks them against the arithmetic from the layer shapes.")
                .build();
    }

    /** The count from layer shapes, with the arithmetic as text. */
    record Arithmetic(long count, String text) { }

    static Arithmetic mlpArithmetic() {
        int in = 28 * 28;
        long l1 = (long) in * 128 + 128;
        long l2 = 128L * 10 + 10;
        return new Arithmetic(l1 + l2, in + "*128+128 + 128*10+10 = " + l1 + " + " + l2 + " = " + (l1 + l2));
    }

    static Arithmetic cnn2Arithmetic() {
        long conv = 1L * 7 * 7 * 64 + 64;
        int side = (28 - 7 + 1) / 2;
        long flat = 64L * side * side;
        long dense = flat * 10 + 10;
        return new Arithmetic(conv + dense, "conv 1*7*7*64+64 = " + conv + "; 28-7+1 = 22, pool -> " + side + "x" + side
                + ", flatten 64*" + side + "*" + side + " = " + flat + "; dense " + flat + "*10+10 = " + dense
                + "; total " + (conv + dense));
    }

    static Arithmetic cnn3Arithmetic() {
        long conv1 = 1L * 7 * 7 * 64 + 64;
        int side1 = (28 - 7 + 1) / 2;
        long conv2 = 64L * 2 * 2 * 128 + 128;
        int side2 = (side1 - 2 + 1) / 2;
        long flat = 128L * side2 * side2;
        long dense = flat * 10 + 10;
        long total = conv1 + conv2 + dense;
        return new Arithmetic(total, "conv 1*7*7*64+64 = " + conv1 + "; 22 -> pool " + side1 + "; conv 64*2*2*128+128 = "
                + conv2 + "; " + side1 + "-2+1 = " + (side1 - 1) + " -> pool " + side2 + ", flatten 128*" + side2 + "*" + side2
                + " = " + flat + "; dense " + flat + "*10+10 = " + dense + "; total " + total);
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        Map<String, Supplier<SequentialBlock>> models = new LinkedHashMap<>();
        models.put("mlp", FashionModels::mlp);
        models.put("cnn2", FashionModels::cnn2);
        models.put("cnn3", FashionModels::cnn3);
        Map<String, Arithmetic> arithmetic = Map.of("mlp", mlpArithmetic(), "cnn2", cnn2Arithmetic(),
                "cnn3", cnn3Arithmetic());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (Map.Entry<String, Supplier<SequentialBlock>> m : models.entrySet()) {
                SequentialBlock block = m.getValue().get();
                block.initialize(manager, DataType.FLOAT32, FashionModels.INPUT_SHAPE);
                long count = 0;
                Map<String, String> shapes = new LinkedHashMap<>();
                for (Pair<String, Parameter> p : block.getParameters()) {
                    Shape shape = p.getValue().getArray().getShape();
                    count += shape.size();
                    shapes.put(p.getKey(), shape.toString());
                }
                Shape out = block.getOutputShapes(new Shape[] {FashionModels.INPUT_SHAPE})[0];
                Arithmetic a = arithmetic.get(m.getKey());
                Labels model = Labels.of("model", m.getKey());
                long residual = Math.abs(count - a.count());
                // The catalogue's answer keys are the model names themselves; the rest nests by model.
                reporter.answer(m.getKey(), count);
                reporter.answer("arithmetic", model, a.text());
                reporter.answer("parameterShapes", model, shapes);
                reporter.answer("outputShape", model, out.toString());
                reporter.verify("countResidual", model, residual, 0.5);
                reporter.log(m.getKey() + ": " + count + " parameters (" + a.text() + ")");
            }
        }
    }
}
