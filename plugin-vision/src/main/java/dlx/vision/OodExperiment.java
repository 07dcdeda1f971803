package dlx.vision;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.Progress;
import dlx.api.RunContext;
import dlx.kit.data.FashionMnist;
import dlx.kit.djl.Devices;
import dlx.kit.djl.FashionModels;
import dlx.kit.plot.Charts;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * {@code vision.ood}: the 2-layer MLP, 2-layer CNN and 3-layer CNN of {@link FashionModels} trained
 * with DJL (Adam) on the original training images, then tested on the original test set, the test
 * set shifted up by 4 pixels and rotated by 90°, 180° and 270°.
 */
public final class OodExperiment implements Experiment {
    static final List<String> MODELS = List.of("mlp", "cnn2", "cnn3");
    static final List<String> SHIFTS = List.of("original", "shiftUp4", "rot90", "rot180", "rot270");
    private static final int EVAL_BATCH = 500;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("vision.ood")
                .title("Out-of-distribution generalisation of an MLP and two CNNs")
                .description("Trains the 2-layer MLP, the 2-layer CNN (64 7x7 kernels, 2x2 max-pool, dense 10) and the "
                        + "3-layer CNN (plus a 64->128 2x2 convolution and 2x2 max-pool) with DJL and Adam on the original "
                        + "training images; accuracy (percent) on the original test set, shifted up 4 pixels, and rotated "
                        + "by 90, 180 and 270 degrees; parameter counts read from the built models.")
                .param(ParamSpec.integer("epochs", 10).quick(2).min(1))
                .param(ParamSpec.integer("batchSize", 64).min(1).max(10_000))
                .param(ParamSpec.decimal("learningRate", 0.001).min(0).help("Adam learning rate"))
                .param(ParamSpec.integer("trainSize", VisionData.TRAIN).quick(2000).range(1, VisionData.TRAIN)
                        .help("training examples used (of the course's 10,000)"))
                .param(ParamSpec.integer("testSize", VisionData.TEST).quick(500).range(1, VisionData.TEST)
                        .help("test examples used (of the official 10,000)"))
                .param(ParamSpec.integer("threads", 0).quick(1).min(0)
                        .help("libtorch intra-op threads for this run (0 = the engine's default, one per core); 1 avoids "
                                + "oversubscription on a shared machine"))
                .param(VisionData.dataDirParam())
                .build();
    }

    static Supplier<Block> factory(String model) {
        return switch (model) {
            case "mlp" -> FashionModels::mlp;
            case "cnn2" -> FashionModels::cnn2;
            case "cnn3" -> FashionModels::cnn3;
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
    }

    /** Total number of parameter values of an initialised block. */
    static long parameterCount(Block block) {
        long n = 0;
        for (Parameter p : block.getParameters().values()) {
            n += p.getArray().size();
        }
        return n;
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        var p = ctx.params();
        FashionMnist.Splits splits = VisionData.splits(ctx);
        FashionMnist.Split train = splits.train().first(p.integer("trainSize"));
        FashionMnist.Split test = splits.test().first(p.integer("testSize"));
        Map<String, float[]> testSets = new LinkedHashMap<>();
        testSets.put("original", test.images());
        testSets.put("shiftUp4", ImageTransforms.shiftUp(test.images(), 4));
        testSets.put("rot90", ImageTransforms.rotate(test.images(), 1));
        testSets.put("rot180", ImageTransforms.rotate(test.images(), 2));
        testSets.put("rot270", ImageTransforms.rotate(test.images(), 3));

        Device device = Devices.choose(ctx.device());
        ctx.usedDevice(Devices.describe(device));
        int previousThreads = setTorchThreads(ctx, p.integer("threads"));
        try {
            trainAndReport(ctx, device, train, test, testSets);
        } finally {
            if (previousThreads > 0) {
                setTorchThreads(ctx, previousThreads);
            }
        }
    }

    /**
     * Sets libtorch's intra-op thread count when {@code threads > 0} and the engine is PyTorch;
     * returns the previous count (0 when nothing was changed).
     */
    static int setTorchThreads(RunContext ctx, int threads) {
        Engine engine = Engine.getInstance();
        if (threads <= 0 || !"PyTorch".equals(engine.getEngineName())) {
            return 0;
        }
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils", true, engine.getClass().getClassLoader());
            int previous = (Integer) jni.getMethod("getNumThreads").invoke(null);
            jni.getMethod("setNumThreads", int.class).invoke(null, threads);
            ctx.log("libtorch intra-op threads: " + threads + " (was " + previous + ")");
            return previous;
        } catch (ReflectiveOperationException | RuntimeException e) {
            ctx.log("could not set libtorch's thread count: " + e);
            return 0;
        }
    }

    private void trainAndReport(RunContext ctx, Device device, FashionMnist.Split train, FashionMnist.Split test,
                                Map<String, float[]> testSets) throws Exception {
        var p = ctx.params();

        Map<String, Object> accuracy = new LinkedHashMap<>();
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> trainSeconds = new LinkedHashMap<>();
        for (String name : MODELS) {
            ctx.checkCancelled();
            Map<String, Double> acc = new LinkedHashMap<>();
            // Seeds libtorch's generator, so that the weight initialisation (and the run) is repeatable.
            Engine.getInstance().setRandomSeed((int) ctx.seed());
            try (Model model = Model.newInstance("fashion-" + name, device)) {
                model.setBlock(factory(name).get());
                DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) p.decimal("learningRate"))).build())
                        .optDevices(new Device[] {device});
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(p.integer("batchSize"), 1, FashionMnist.SIDE, FashionMnist.SIDE));
                    long count = parameterCount(model.getBlock());
                    params.put(name, count);
                    ctx.metric("params" + capitalise(name), count);
                    double seconds = train(ctx, trainer, name, train, test, p.integer("epochs"), p.integer("batchSize"));
                    trainSeconds.put(name, seconds);
                    ctx.metric("trainSeconds" + capitalise(name), seconds);
                    for (String shift : SHIFTS) {
                        double a = 100 * accuracy(trainer, testSets.get(shift), test.labels());
                        acc.put(shift, a);
                        ctx.metric("accuracy" + capitalise(name) + capitalise(shift), a);
                    }
                    ctx.log(String.format("%s: %,d parameters, %.1f s training, accuracy %% %s", name, count, seconds, acc));
                }
            }
            accuracy.put(name, acc);
        }
        ctx.answer("accuracy", accuracy);
        ctx.answer("params", params);
        ctx.answer("trainSeconds", trainSeconds);

        StringBuilder csv = new StringBuilder("model,params,trainSeconds");
        for (String shift : SHIFTS) {
            csv.append(',').append(shift);
        }
        csv.append('\n');
        Map<String, List<Double>> bars = new LinkedHashMap<>();
        for (String name : MODELS) {
            @SuppressWarnings("unchecked")
            Map<String, Double> acc = (Map<String, Double>) accuracy.get(name);
            csv.append(name).append(',').append(params.get(name)).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.1f", (Double) trainSeconds.get(name)));
            List<Double> values = new ArrayList<>();
            for (String shift : SHIFTS) {
                csv.append(',').append(String.format(java.util.Locale.ROOT, "%.2f", acc.get(shift)));
                values.add(acc.get(shift));
            }
            csv.append('\n');
            bars.put(name, values);
        }
        Files.writeString(ctx.outputDir().resolve("ood.csv"), csv);
        ctx.artifact("ood.csv");
        Charts.bars("Fashion-MNIST accuracy in and out of distribution", "test set", "accuracy (%)", SHIFTS, bars,
                ctx.outputDir().resolve("ood-accuracy.png"));
        ctx.artifact("ood-accuracy.png");
        List<String> lossCurves = new ArrayList<>();
        List<String> accCurves = new ArrayList<>();
        for (String name : MODELS) {
            lossCurves.add("trainLoss" + capitalise(name));
            accCurves.add("testAccuracy" + capitalise(name));
        }
        ctx.plot(PlotSpec.lines("train-loss.png", "Training loss per epoch", "epoch", "cross-entropy",
                lossCurves.toArray(String[]::new)));
        ctx.plot(PlotSpec.lines("test-accuracy.png", "Test accuracy (original) per epoch", "epoch", "accuracy (%)",
                accCurves.toArray(String[]::new)));
    }

    /** Adam over shuffled mini-batches; returns the training wall time in seconds (evaluation excluded). */
    private static double train(RunContext ctx, Trainer trainer, String name, FashionMnist.Split train,
                                FashionMnist.Split test, int epochs, int batchSize) {
        int n = train.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random rng = new Random(ctx.seed());
        float[] x = new float[batchSize * FashionMnist.PIXELS];
        float[] y = new float[batchSize];
        double seconds = 0;
        String suffix = capitalise(name);
        try (Progress progress = ctx.progress(name + " epochs", epochs)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                ctx.checkCancelled();
                MlpTraining.shuffle(order, rng);
                long t0 = System.nanoTime();
                double lossSum = 0;
                int batches = 0;
                for (int start = 0; start < n; start += batchSize) {
                    int b = Math.min(batchSize, n - start);
                    for (int k = 0; k < b; k++) {
                        System.arraycopy(train.images(), order[start + k] * FashionMnist.PIXELS, x, k * FashionMnist.PIXELS,
                                FashionMnist.PIXELS);
                        y[k] = train.labels()[order[start + k]];
                    }
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDArray xs = m.create(java.util.Arrays.copyOf(x, b * FashionMnist.PIXELS),
                                new Shape(b, 1, FashionMnist.SIDE, FashionMnist.SIDE));
                        NDArray ys = m.create(java.util.Arrays.copyOf(y, b));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(xs)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(ys), new NDList(logits));
                            gc.backward(loss);
                            lossSum += loss.getFloat();
                        }
                        trainer.step();
                    }
                    batches++;
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                seconds += sec;
                double loss = lossSum / batches;
                double testAcc = 100 * accuracy(trainer, test.images(), test.labels());
                ctx.series("trainLoss" + suffix).add(epoch, loss);
                ctx.series("testAccuracy" + suffix).add(epoch, testAcc);
                ctx.metric("examplesPerSecond" + suffix, n / sec);
                progress.step();
                progress.status(String.format("loss %.4f test %.1f%%", loss, testAcc));
            }
        }
        return seconds;
    }

    /** Fraction of correctly classified images ({@code n x 784}). */
    static double accuracy(Trainer trainer, float[] images, int[] labels) {
        int n = labels.length;
        int correct = 0;
        for (int start = 0; start < n; start += EVAL_BATCH) {
            int b = Math.min(EVAL_BATCH, n - start);
            float[] chunk = new float[b * FashionMnist.PIXELS];
            System.arraycopy(images, start * FashionMnist.PIXELS, chunk, 0, chunk.length);
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray xs = m.create(chunk, new Shape(b, 1, FashionMnist.SIDE, FashionMnist.SIDE));
                NDArray logits = trainer.evaluate(new NDList(xs)).singletonOrThrow();
                int[] pred = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                for (int k = 0; k < b; k++) {
                    if (pred[k] == labels[start + k]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / n;
    }

    static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
