package dlx.nmt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Progress;
import dlx.api.RunContext;
import dlx.kit.djl.Devices;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.model.EncoderDecoder;
import dlx.nmt.train.Batch;
import dlx.nmt.train.BatchSource;
import dlx.nmt.train.Losses;
import java.util.Arrays;
import java.util.Random;

/**
 * {@code dlx bench nmt.bench-pig-latin}: training throughput of the {@code nmt.attention}
 * encoder–decoder (hidden 64, large word set) on English → Pig Latin batches. Each step is
 * forward, masked cross-entropy, backward and an AdamW update (constant learning rate); the first
 * {@code warmupSteps} are left out and the median over the rest is reported.
 */
public final class BenchPigLatinExperiment implements Experiment {
    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("nmt.bench-pig-latin")
                .title("Benchmark: Pig Latin encoder-decoder training throughput (tokens/s)")
                .description("Times training steps of the nmt.attention model (hidden 64, 4 heads, 2 layers, large set, "
                        + "batches of 64 pairs); reports the median tokens per second and milliseconds per step after warm-up.")
                .benchmark()
                .param(ParamSpec.integer("steps", 200).quick(12).range(2, 1000000).help("timed steps (after warm-up)"))
                .param(ParamSpec.integer("warmupSteps", 10).quick(3).range(0, 100000).help("untimed warm-up steps"))
                .param(ParamSpec.integer("hidden", 64).range(4, 4096).help("model width"))
                .param(ParamSpec.integer("heads", 4).range(1, 64).help("attention heads"))
                .param(ParamSpec.integer("layers", 2).range(1, 48).help("encoder and decoder blocks"))
                .param(ParamSpec.integer("batchSize", 64).range(1, 4096).help("pairs per batch (one length group)"))
                .build();
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        var p = ctx.params();
        Device device = Devices.choose(ctx.device());
        ctx.usedDevice(Devices.describe(device));
        int steps = p.integer("steps");
        int warmup = p.integer("warmupSteps");
        PigLatinData data = new PigLatinData(WordList.top(WordList.LARGE), ctx.seed());
        BatchSource batches = data.batches(PigLatinData.Layout.ENCODER_DECODER, p.integer("batchSize"));
        Shape[] shapes = {new Shape(1, 5), new Shape(1, 8)};
        double[] ms = new double[steps];
        double[] tokensPerSecond = new double[steps];
        long totalTokens = 0;
        try (Model model = Model.newInstance("bench-pig-latin", device)) {
            EncoderDecoder block = new EncoderDecoder(PigLatinData.VOCAB, p.integer("hidden"), p.integer("heads"),
                    p.integer("layers"), 2 * PigLatinTraining.MAX_WORD + 16);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
            ctx.metric("parameters", CharLmExperiment.parameterCount(model));
            Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(3e-3f)).optWeightDecays(0.01f).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adamW)
                    .optDevices(new Device[] {device});
            Random random = new Random(ctx.seed());
            try (Trainer trainer = model.newTrainer(config); Progress progress = ctx.progress("steps", warmup + steps)) {
                for (int s = 0; s < warmup + steps; s++) {
                    ctx.checkCancelled();
                    long t0 = System.nanoTime();
                    long tokens;
                    try (NDManager m = model.getNDManager().newSubManager()) {
                        Batch b = batches.train(m, random);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(b.inputs());
                            NDArray loss = Losses.crossEntropy(out.get(0), b.labels(), b.mask());
                            gc.backward(loss);
                            loss.getFloat();
                        }
                        trainer.step();
                        tokens = b.tokens();
                    }
                    long nanos = System.nanoTime() - t0;
                    if (s >= warmup) {
                        int i = s - warmup;
                        ms[i] = nanos / 1e6;
                        tokensPerSecond[i] = tokens / (nanos / 1e9);
                        totalTokens += tokens;
                        ctx.series("tokensPerSecondByStep").add(i + 1, tokensPerSecond[i]);
                    }
                    progress.step();
                }
            }
        }
        double medianTps = median(tokensPerSecond);
        double medianMs = median(ms);
        ctx.metric("tokensPerSecond", medianTps);
        ctx.metric("msPerStep", medianMs);
        ctx.metric("timedTokens", totalTokens);
        ctx.log(String.format("median %.2f ms per step, %,.0f tokens/s over %d steps", medianMs, medianTps, steps));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
