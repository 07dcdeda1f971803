package dlx.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.onnxruntime.OrtException;
import dlx.api.RunContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The whole encoder trained end to end: the ONNX export's weights imported into {@link DjlBert}, a
 * {@link Head} on the [CLS] vector, AdamW over encoder and head.
 */
final class FineTunedModel implements AutoCloseable {

    record Settings(int epochs, double learningRate, int hiddenUnits, int batchSize, double weightDecay,
                    boolean trainWordEmbeddings, long seed) { }

    record Outcome(double valAccuracy, double bestValAccuracy, double finalTrainLoss, double trainSeconds,
                   double medianEpochSeconds, long trainableParameters) { }

    private final OnnxEncoder tokenizer;
    private final DjlBert bert;
    private final Head head;
    private Outcome outcome;

    private FineTunedModel(OnnxEncoder tokenizer, DjlBert bert, Head head) {
        this.tokenizer = tokenizer;
        this.bert = bert;
        this.head = head;
    }

    Outcome outcome() {
        return outcome;
    }

    DjlBert bert() {
        return bert;
    }

    /** Imports the weights (they must have been checked against ONNX Runtime by the caller). */
    static FineTunedModel create(NDManager manager, OnnxEncoder encoder, BertWeights weights, int hiddenUnits, long seed) {
        DjlBert bert = new DjlBert(manager, weights);
        Head head = new Head(bert.manager(), weights.hidden(), hiddenUnits, new Random(seed));
        return new FineTunedModel(encoder, bert, head);
    }

    /**
     * The largest absolute difference between the DJL forward pass and ONNX Runtime's last hidden
     * state over a padded batch of {@code texts} (all positions, padding included).
     */
    static double maxAbsDifference(DjlBert bert, OnnxEncoder encoder, List<String> texts) throws OrtException {
        OnnxEncoder.Batch batch = encoder.tokenize(texts);
        float[][][] reference = encoder.hidden(batch);
        try (NDManager m = bert.manager().newSubManager()) {
            NDArray h = bert.forward(m.create(batch.ids()), m.create(batch.mask()), m.create(batch.types()));
            h.attach(m);
            float[] flat = h.toFloatArray();
            int hidden = (int) h.getShape().get(2);
            double max = 0;
            for (int i = 0; i < reference.length; i++) {
                for (int t = 0; t < reference[i].length; t++) {
                    for (int j = 0; j < hidden; j++) {
                        float v = flat[(i * reference[i].length + t) * hidden + j];
                        max = Math.max(max, Math.abs(v - reference[i][t][j]));
                    }
                }
            }
            return max;
        }
    }

    /** Fine-tunes on the train split; records {@code trainLoss}, {@code valAccuracy} per epoch. */
    void train(RunContext ctx, List<String> trainX, int[] trainY, List<String> testX, int[] testY, Settings s) {
        train(ctx, trainX, trainY, testX, testY, s, "");
    }

    /** As above, with {@code suffix} appended to the series names. */
    void train(RunContext ctx, List<String> trainX, int[] trainY, List<String> testX, int[] testY, Settings s,
               String suffix) {
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        bert.parameters().forEach((name, p) -> {
            if (s.trainWordEmbeddings() || !name.equals("embeddings.word_embeddings.weight")) {
                trainable.put(name, p);
            }
        });
        trainable.putAll(head.parameters());
        Head.attachGradients(trainable);
        long count = 0;
        for (NDArray p : trainable.values()) {
            count += p.size();
        }
        Optimizer optimizer = Head.adamW(s.learningRate(), s.weightDecay());
        Random rnd = new Random(s.seed() + 1);
        List<Double> epochSeconds = new ArrayList<>();
        double acc = 0;
        double best = 0;
        double lastLoss = Double.NaN;
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double lossSum = 0;
            for (int[] idx : Head.batches(trainX.size(), s.batchSize(), rnd)) {
                ctx.checkCancelled();
                List<String> texts = new ArrayList<>();
                int[] yb = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    texts.add(trainX.get(idx[i]));
                    yb[i] = trainY[idx[i]];
                }
                OnnxEncoder.Batch batch = tokenizer.tokenize(texts);
                try (NDManager step = bert.manager().newSubManager()) {
                    try (GradientCollector gc = step.getEngine().newGradientCollector()) {
                        gc.zeroGradients();
                        NDArray loss = Head.crossEntropy(logits(step, batch), yb);
                        gc.backward(loss);
                        lossSum += loss.getFloat() * idx.length;
                    }
                    Head.step(optimizer, trainable);
                }
            }
            epochSeconds.add((System.nanoTime() - t0) / 1e9);
            lastLoss = lossSum / trainX.size();
            if (!Double.isFinite(lastLoss)) {
                throw new IllegalStateException("fine-tuning diverged: the training loss of epoch " + epoch + " is " + lastLoss
                        + "; try a lower learningRate (now " + s.learningRate() + ")");
            }
            acc = Head.accuracy(probabilities(testX), testY);
            best = Math.max(best, acc);
            ctx.series("trainLoss" + suffix).add(epoch, lastLoss);
            ctx.series("valAccuracy" + suffix).add(epoch, acc);
            ctx.log(String.format("epoch %d: train loss %.4f, validation accuracy %s (%.1f s)", epoch, lastLoss,
                    Bert.percent(acc), epochSeconds.get(epochSeconds.size() - 1)));
        }
        for (NDArray p : trainable.values()) {
            p.setRequiresGradient(false);
        }
        outcome = new Outcome(acc, best, lastLoss, (System.nanoTime() - start) / 1e9, Head.median(epochSeconds), count);
    }

    private NDArray logits(NDManager m, OnnxEncoder.Batch batch) {
        NDArray h = bert.forward(m.create(batch.ids()), m.create(batch.mask()), m.create(batch.types()));
        NDArray cls = h.get(":, 0, :");
        return head.logits(cls);
    }

    /** Class probabilities, in batches of 64, without recording gradients. */
    float[][] probabilities(List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int s = 0; s < texts.size(); s += 64) {
            List<String> part = texts.subList(s, Math.min(texts.size(), s + 64));
            try (NDManager m = bert.manager().newSubManager()) {
                NDArray logits = logits(m, tokenizer.tokenize(part));
                logits.attach(m);
                float[][] p = Head.probabilities(logits);
                System.arraycopy(p, 0, out, s, p.length);
            }
        }
        return out;
    }

    @Override
    public void close() {
        bert.close();
    }
}
