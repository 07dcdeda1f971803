package dlx.nmt.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import dlx.kit.train.AdamW;
import dlx.kit.train.TrainingState;
import dlx.kit.train.TrainingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One training of the plugin's sequence models, as a task of the kit's loop: AdamW with cosine
 * decay over all steps (constant for a final fraction of 1), random batches from a generator seeded per epoch (so that a resumed run
 * draws the batches of the uninterrupted one), masked cross-entropy, gradients clipped to a global
 * norm (a step whose loss or gradient is not finite is skipped), and the validation loss.
 */
public final class SequenceTask implements TrainingTask, AutoCloseable {
    private final Model model;
    private final BatchSource data;
    private final TrainConfig cfg;
    private final boolean validate;
    private final AdamW optimizer;
    private final Trainer trainer;
    private final List<Parameter> trainable = new ArrayList<>();
    private NDManager validationManager;
    private List<Batch> validation;
    private Random random;

    /**
     * Trains the model's block, which must be initialised (a restored checkpoint replaces its
     * arrays, so the trainer must not have touched them yet). Without {@code validate} the
     * evaluation is empty.
     */
    public SequenceTask(Model model, BatchSource data, TrainConfig cfg, boolean validate) {
        if (!model.getBlock().isInitialized()) {
            throw new IllegalStateException(cfg.name() + ": initialise the block before training it");
        }
        this.model = model;
        this.data = data;
        this.cfg = cfg;
        this.validate = validate;
        // A final fraction of 1 is a constant rate (DJL's cosine needs a lower final value).
        Tracker lr = cfg.finalLrFraction() >= 1 ? Tracker.fixed(cfg.learningRate())
                : CosineTracker.builder().setBaseValue(cfg.learningRate())
                        .optFinalValue(cfg.learningRate() * cfg.finalLrFraction())
                        .setMaxUpdates(Math.max(1, cfg.totalSteps())).build();
        optimizer = AdamW.builder().optLearningRateTracker(lr).optWeightDecays(cfg.weightDecay()).build();
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer)
                .optDevices(new Device[] {model.getNDManager().getDevice()}));
        model.getBlock().getParameters().values().forEach(p -> {
            if (p.requiresGradient()) {
                trainable.add(p);
            }
        });
    }

    /** The optimiser, whose state a checkpoint keeps. */
    public AdamW optimizer() {
        return optimizer;
    }

    @Override
    public void beginEpoch(int epoch) {
        random = new Random(cfg.seed() + 1_000_003L * (epoch - 1));
    }

    @Override
    public Step step(TrainingState state) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            Batch b = data.train(m, random);
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray l = Losses.crossEntropy(trainer.forward(b.inputs()).get(0), b.labels(), b.mask());
                gc.backward(l);
                loss = l.getFloat();
            }
            if (Float.isFinite(loss) && (cfg.clipNorm() <= 0 || clipGradients(trainable, cfg.clipNorm()))) {
                trainer.step();
                return Step.of(loss, b.tokens());
            }
            zeroGradients(trainable);
            return Step.skipped(b.tokens());
        }
    }

    /** The validation loss: the mean over the fixed validation batches, weighted by their counted targets. */
    @Override
    public Map<String, Double> evaluate() {
        if (!validate) {
            return Map.of();
        }
        if (validation == null) {
            validationManager = model.getNDManager().newSubManager();
            validation = data.validation(validationManager);
        }
        double sum = 0;
        double weight = 0;
        for (Batch b : validation) {
            try (NDManager m = trainer.getManager().newSubManager()) {
                b.inputs().tempAttach(m);
                b.labels().tempAttach(m);
                if (b.mask() != null) {
                    b.mask().tempAttach(m);
                }
                NDArray loss = Losses.crossEntropy(trainer.evaluate(b.inputs()).get(0), b.labels(), b.mask());
                double w = b.mask() == null ? b.labels().size() : b.mask().sum().getFloat();
                sum += loss.getFloat() * w;
                weight += w;
            }
        }
        return Map.of("valLoss", sum / Math.max(1e-9, weight));
    }

    @Override
    public void close() {
        trainer.close();
        if (validationManager != null) {
            validationManager.close();
        }
    }

    /**
     * Scales the gradients so that their global L2 norm is at most {@code maxNorm}; false when the
     * norm is not finite (the step must then be skipped).
     */
    static boolean clipGradients(List<Parameter> params, float maxNorm) {
        List<NDArray> temps = new ArrayList<>();
        try {
            NDArray total = null;
            for (Parameter p : params) {
                NDArray g = p.getArray().getGradient();
                NDArray sq = g.square();
                NDArray s = sq.sum();
                total = total == null ? s : total.add(s);
                temps.addAll(List.of(g, sq, s, total));
            }
            if (total == null) {
                return true;
            }
            double norm = Math.sqrt(total.getFloat());
            if (!Double.isFinite(norm)) {
                return false;
            }
            if (norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (Parameter p : params) {
                    NDArray g = p.getArray().getGradient();
                    temps.add(g);
                    g.muli(scale);
                }
            }
            return true;
        } finally {
            temps.forEach(NDArray::close);
        }
    }

    static void zeroGradients(List<Parameter> params) {
        for (Parameter p : params) {
            try (NDArray g = p.getArray().getGradient()) {
                g.set(new NDIndex("..."), 0f);
            }
        }
    }
}
