package dlx.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.onnxruntime.OrtException;
import dlx.api.Labels;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.train.TrainingState;
import dlx.kit.train.TrainingTask;
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

    private final OnnxEncoder tokenizer;
    private final DjlBert bert;
    private final Head head;
    private long trainableParameters;

    private FineTunedModel(OnnxEncoder tokenizer, DjlBert bert, Head head) {
        this.tokenizer = tokenizer;
        this.bert = bert;
        this.head = head;
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

    static final double IMPORT_TOLERANCE = 1e-3;
    /** Texts of different lengths, so that the import is checked on a padded batch. */
    static final List<String> IMPORT_PROBE = List.of("seventeen minus three", "zero plus zero",
            "three minus three twelve plus one", "twenty", "eleven minus thirteen");

    /**
     * Imports the weights and checks the DJL forward pass against ONNX Runtime on a padded batch
     * (verified as {@code importMaxAbsDiff} under {@code labels}); a wrong import fails the run
     * before anything is fine-tuned.
     */
    static FineTunedModel createChecked(NDManager manager, OnnxEncoder encoder, EncoderFolder folder, BertWeights weights,
                                        int hiddenUnits, long seed, RunReporter reporter, Labels labels) throws OrtException {
        FineTunedModel model = create(manager, encoder, weights, hiddenUnits, seed);
        try {
            double diff = maxAbsDifference(model.bert(), encoder, IMPORT_PROBE);
            reporter.verify("importMaxAbsDiff", labels, diff, IMPORT_TOLERANCE);
            reporter.log(String.format("weight import (%s): DJL vs ONNX Runtime max abs difference %.2e", folder.name(), diff));
            if (!(diff < IMPORT_TOLERANCE)) {
                throw new IllegalStateException("the DJL forward pass does not reproduce ONNX Runtime on " + folder.model()
                        + " (max abs difference " + diff + "); not fine-tuning a wrongly imported encoder");
            }
            return model;
        } catch (OrtException | RuntimeException e) {
            model.close();
            throw e;
        }
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

    /**
     * Fine-tunes on the train split with the kit's training loop; after every epoch the series
     * {@code trainLoss} and {@code valAccuracy} are recorded with {@code labels}.
     */
    Trained train(RunRequest request, RunReporter reporter, List<String> trainX, int[] trainY, List<String> testX,
                  int[] testY, Settings s, Labels labels) throws Exception {
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        bert.parameters().forEach((name, p) -> {
            if (s.trainWordEmbeddings() || !name.equals("embeddings.word_embeddings.weight")) {
                trainable.put(name, p);
            }
        });
        trainable.putAll(head.parameters());
        Head.attachGradients(trainable);
        trainableParameters = 0;
        for (NDArray p : trainable.values()) {
            trainableParameters += p.size();
        }
        try {
            return Trained.train("fine-tuning",
                    new Steps(trainable, trainX, trainY, testX, testY, s), s.epochs(),
                    Head.batchCount(trainX.size(), s.batchSize()), "try a lower learningRate (now " + s.learningRate() + ")",
                    request, reporter, labels);
        } finally {
            for (NDArray p : trainable.values()) {
                p.setRequiresGradient(false);
            }
        }
    }

    /** How many parameters {@link #train} trained. */
    long trainableParameters() {
        return trainableParameters;
    }

    /** Encoder and head trained together: one AdamW step per mini-batch of tokenized texts. */
    private final class Steps implements TrainingTask {
        private final Map<String, NDArray> trainable;
        private final List<String> trainX;
        private final int[] trainY;
        private final List<String> testX;
        private final int[] testY;
        private final Settings settings;
        private final Optimizer optimizer;
        private final Random rnd;
        private List<int[]> batches;
        private int next;

        Steps(Map<String, NDArray> trainable, List<String> trainX, int[] trainY, List<String> testX, int[] testY,
              Settings settings) {
            this.trainable = trainable;
            this.trainX = trainX;
            this.trainY = trainY;
            this.testX = testX;
            this.testY = testY;
            this.settings = settings;
            this.optimizer = Head.adamW(settings.learningRate(), settings.weightDecay());
            this.rnd = new Random(settings.seed() + 1);
        }

        @Override
        public void beginEpoch(int epoch) {
            batches = Head.batches(trainX.size(), settings.batchSize(), rnd);
            next = 0;
        }

        @Override
        public Step step(TrainingState state) {
            int[] idx = batches.get(next++);
            List<String> texts = new ArrayList<>();
            int[] yb = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                texts.add(trainX.get(idx[i]));
                yb[i] = trainY[idx[i]];
            }
            OnnxEncoder.Batch batch = tokenizer.tokenize(texts);
            try (NDManager step = bert.manager().newSubManager()) {
                float loss;
                try (GradientCollector gc = step.getEngine().newGradientCollector()) {
                    gc.zeroGradients();
                    NDArray l = Head.crossEntropy(logits(step, batch), yb);
                    gc.backward(l);
                    loss = l.getFloat();
                }
                return Head.applyIfFinite(optimizer, trainable, loss, idx.length);
            }
        }

        @Override
        public Map<String, Double> evaluate() {
            return Map.of(Trained.VAL_ACCURACY, Head.accuracy(probabilities(testX), testY));
        }
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
