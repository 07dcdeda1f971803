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

    /** The final validation loss and every step's loss of 60 steps of a tiny decoder-only Pig Latin model. */
    private static List<Double> train(dlx.nmt.data.PigLatinData data) throws Exception {
        Seeds.engine(7);
        try (ai.djl.Model model = ai.djl.Model.newInstance("gc")) {
            dlx.nmt.model.DecoderOnlyLm lm = new dlx.nmt.model.DecoderOnlyLm(dlx.nmt.data.PigLatinData.VOCAB, 8, 2, 1, 40);
            model.setBlock(lm);
            lm.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 12));
            List<Double> losses = new ArrayList<>();
            TrainResult r = Training.of(model, data.batches(dlx.nmt.data.PigLatinData.Layout.DECODER_ONLY, 32),
                    TrainConfig.of("gc", 1, 60, 1e-2f, 7)).listener(new dlx.kit.train.TrainingListener() {
                        @Override
                        public void onStep(dlx.kit.train.TrainingState state, dlx.kit.train.TrainingTask.Step step) {
                            losses.add(step.loss());
                        }
                    }).run();
            losses.add(r.finalValLoss());
            return losses;
        }
    }

    /**
     * Garbage collection during training changes nothing. DJL's NDArray.div(Number) wraps the number in a
     * Java buffer that the collector may free while autograd still holds it for the backward pass; the
     * attention's scale is therefore a tensor libtorch owns. Under a thread that keeps collecting, the
     * training must give exactly the losses of a quiet run (before the fix, some steps read freed memory).
     */
    @Test
    void trainingUnderGarbageCollectionGivesTheSameLosses() throws Exception {
        var data = new dlx.nmt.data.PigLatinData(dlx.nmt.WordList.top(dlx.nmt.WordList.SMALL), 3);
        List<Double> quiet = train(data);
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                List<byte[]> junk = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    junk.add(new byte[100_000]);
                }
                System.gc();
            }
        });
        collector.setDaemon(true);
        collector.start();
        try {
            assertThat(train(data)).containsExactlyElementsOf(quiet);
        } finally {
            collector.interrupt();
            collector.join();
        }
    }
}
