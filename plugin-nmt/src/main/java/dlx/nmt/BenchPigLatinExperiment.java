package dlx.nmt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.api.Series;
import dlx.kit.djl.Devices;
import dlx.kit.train.TrainingListener;
import dlx.kit.train.TrainingState;
import dlx.kit.train.TrainingSummary;
import dlx.kit.train.TrainingTask;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.model.EncoderDecoder;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.Training;
import java.util.Arrays;

/**
 * {@code dlx bench nmt.bench-pig-latin}: training throughput of the {@code nmt.attention}
 * encoder–decoder (hidden 64, large word set) on English → Pig Latin batches. Each step is the
 * plugin's training step in the kit's loop (forward, masked cross-entropy, backward and an AdamW
 * update at a constant learning rate, no clipping: the bare step); the first {@code warmupSteps}
 * are left out and the median over the rest is reported.
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
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        var p = request.params();
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        int steps = p.integer("steps");
        int warmup = p.integer("warmupSteps");
        PigLatinData data = new PigLatinData(WordList.top(WordList.LARGE), request.seed());
        WordList.pigLatinSources(WordList.LARGE, request.seed()).forEach(reporter::dataSource);
        StepTimes times = new StepTimes(reporter, warmup, steps);
        try (Model model = Model.newInstance("bench-pig-latin", device)) {
            EncoderDecoder block = new EncoderDecoder(PigLatinData.VOCAB, p.integer("hidden"), p.integer("heads"),
                    p.integer("layers"), 2 * PigLatinTraining.MAX_WORD + 16);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 5), new Shape(1, 8));
            reporter.metric("parameters", CharLmExperiment.parameterCount(model));
            // One epoch of all steps at a constant 3e-3 (final fraction 1), weight decay 0.01, clip norm 0.
            TrainConfig cfg = new TrainConfig("steps", 1, warmup + steps, 3e-3f, 1f, 0.01f, 0, request.seed(), 0f);
            Training.of(model, data.batches(PigLatinData.Layout.ENCODER_DECODER, p.integer("batchSize")), cfg)
                    .withoutValidation().listener(times).cancellation(request.cancellation()).run();
        }
        double medianTps = median(times.tokensPerSecond);
        double medianMs = median(times.ms);
        reporter.metric("tokensPerSecond", medianTps);
        reporter.metric("msPerStep", medianMs);
        reporter.metric("timedTokens", times.tokens);
        reporter.log(String.format("median %.2f ms per step, %,.0f tokens/s over %d steps", medianMs, medianTps, steps));
    }

    /** The time and tokens of every step after the warm-up, a progress bar and the tokens/s curve. */
    private static final class StepTimes implements TrainingListener {
        private final RunReporter reporter;
        private final int warmup;
        private final double[] ms;
        private final double[] tokensPerSecond;
        private final Series curve;
        private long tokens;
        private Progress progress;

        StepTimes(RunReporter reporter, int warmup, int steps) {
            this.reporter = reporter;
            this.warmup = warmup;
            this.ms = new double[steps];
            this.tokensPerSecond = new double[steps];
            this.curve = reporter.series("tokensPerSecondByStep");
        }

        @Override
        public void onTrainingBegin(TrainingState state) {
            progress = reporter.progress("steps", state.totalSteps());
        }

        @Override
        public void onStep(TrainingState state, TrainingTask.Step step) {
            int i = (int) state.steps() - 1 - warmup;
            if (i >= 0) {
                double nanos = state.lastStepNanos();
                ms[i] = nanos / 1e6;
                tokensPerSecond[i] = step.items() / (nanos / 1e9);
                tokens += step.items();
                curve.add(i + 1, tokensPerSecond[i]);
            }
            progress.step();
        }

        @Override
        public void onTrainingEnd(TrainingState state, TrainingSummary summary) {
            if (progress != null) {
                progress.close();
            }
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
