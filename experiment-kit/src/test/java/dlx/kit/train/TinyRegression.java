package dlx.kit.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A two-layer regression on fixed random data, trained by a given optimiser; batches are drawn from
 * a generator seeded per epoch, so that a resumed run sees the batches an uninterrupted one does.
 */
final class TinyRegression implements TrainingTask, AutoCloseable {
    static final int IN = 5;
    private static final int BATCH = 8;

    private final Model model;
    private final Trainer trainer;
    private final float[] xs;
    private final float[] ys;
    private Random random;
    private int epoch;

    /** A model whose initial parameters are {@code initial} (bytes of {@code Block.saveParameters}), or random. */
    TinyRegression(Optimizer optimizer, byte[] initial) throws Exception {
        model = Model.newInstance("tiny");
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(2).build());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(BATCH, IN));
        if (initial != null) {
            block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(initial)));
            for (Parameter p : block.getParameters().values()) {
                p.getArray().setRequiresGradient(true);
            }
        }
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer));
        Random data = new Random(3);
        xs = new float[64 * IN];
        ys = new float[64 * 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) data.nextGaussian();
        }
        for (int i = 0; i < ys.length; i++) {
            ys[i] = (float) Math.sin(i);
        }
    }

    Model model() {
        return model;
    }

    byte[] parameters() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.getBlock().saveParameters(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    Map<String, float[]> values() {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.getBlock().getParameters().forEach(p -> out.put(p.getKey(), p.getValue().getArray().toFloatArray()));
        return out;
    }

    @Override
    public void beginEpoch(int e) {
        epoch = e;
        random = new Random(1000L + e);
    }

    @Override
    public Step step(TrainingState state) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            float[] x = new float[BATCH * IN];
            float[] y = new float[BATCH * 2];
            for (int b = 0; b < BATCH; b++) {
                int row = random.nextInt(64);
                System.arraycopy(xs, row * IN, x, b * IN, IN);
                System.arraycopy(ys, row * 2, y, b * 2, 2);
            }
            NDArray target = m.create(y, new Shape(BATCH, 2));
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray out = trainer.forward(new NDList(m.create(x, new Shape(BATCH, IN)))).singletonOrThrow();
                NDArray l = out.sub(target).square().mean();
                gc.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
            return Step.of(loss, BATCH);
        }
    }

    @Override
    public Map<String, Double> evaluate() {
        return Map.of("valLoss", 1.0 / (1 + epoch));
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
