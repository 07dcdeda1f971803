package dlx.nmt.train;

/**
 * Settings of one training run. An "epoch" is {@code stepsPerEpoch} optimiser steps followed by a
 * validation pass. The learning rate decays by a cosine from {@code learningRate} to
 * {@code learningRate * finalLrFraction} over all steps; training stops early when the
 * validation loss has not improved for {@code patience} epochs (0: never). Gradients are
 * clipped to the global L2 norm {@code clipNorm}; a step whose gradient norm is not finite is
 * skipped. {@code clipNorm} 0 is the bare step the benchmark times: no norm, no clipping.
 */
public record TrainConfig(String name, int epochs, int stepsPerEpoch, float learningRate, float finalLrFraction,
                          float weightDecay, int patience, long seed, float clipNorm) {

    /** Gradients are clipped to this global L2 norm unless a config says otherwise. */
    public static final float DEFAULT_CLIP_NORM = 1f;

    public TrainConfig(String name, int epochs, int stepsPerEpoch, float learningRate, float finalLrFraction,
                       float weightDecay, int patience, long seed) {
        this(name, epochs, stepsPerEpoch, learningRate, finalLrFraction, weightDecay, patience, seed, DEFAULT_CLIP_NORM);
    }

    public static TrainConfig of(String name, int epochs, int stepsPerEpoch, float learningRate, long seed) {
        return new TrainConfig(name, epochs, stepsPerEpoch, learningRate, 0.1f, 0.01f, 0, seed);
    }

    public TrainConfig named(String n) {
        return new TrainConfig(n, epochs, stepsPerEpoch, learningRate, finalLrFraction, weightDecay, patience, seed, clipNorm);
    }

    public TrainConfig withPatience(int p) {
        return new TrainConfig(name, epochs, stepsPerEpoch, learningRate, finalLrFraction, weightDecay, p, seed, clipNorm);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(name, epochs, stepsPerEpoch, learningRate, finalLrFraction, weightDecay, patience, s, clipNorm);
    }

    public TrainConfig withWeightDecay(float wd) {
        return new TrainConfig(name, epochs, stepsPerEpoch, learningRate, finalLrFraction, wd, patience, seed, clipNorm);
    }

    public int totalSteps() {
        return epochs * stepsPerEpoch;
    }
}
