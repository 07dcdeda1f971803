package dlx.nmt.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceTaskTest {
    private static double norm(List<Parameter> params) {
        double s = 0;
        for (Parameter p : params) {
            try (NDArray g = p.getArray().getGradient()) {
                for (float v : g.toFloatArray()) {
                    s += v * v;
                }
            }
        }
        return Math.sqrt(s);
    }

    @Test
    void clipsTheGlobalGradientNormAndKeepsItsDirection() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear linear = Linear.builder().setUnits(3).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(4, 5));
            List<Parameter> params = new ArrayList<>(linear.getParameters().values());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = linear.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(4, 5)).mul(50)), true)
                        .singletonOrThrow();
                gc.backward(y.sum());
            }
            double before = norm(params);
            float first;
            try (NDArray g = params.get(0).getArray().getGradient()) {
                first = g.toFloatArray()[0];
            }
            assertThat(before).isGreaterThan(10);
            assertThat(SequenceTask.clipGradients(params, 1f)).isTrue();
            assertThat(norm(params)).isCloseTo(1.0, within(1e-4));
            try (NDArray g = params.get(0).getArray().getGradient()) {
                assertThat((double) g.toFloatArray()[0]).isCloseTo(first / before, within(1e-5));
            }
            SequenceTask.zeroGradients(params);
            assertThat(norm(params)).isEqualTo(0.0);
        }
    }
}
