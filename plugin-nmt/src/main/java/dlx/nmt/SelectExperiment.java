package dlx.nmt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.HeatMap;
import dlx.api.Labels;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.nmt.data.SelectTask;
import dlx.nmt.model.AttentionSelector;
import dlx.nmt.model.SelectorMaps;
import dlx.nmt.train.Batch;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.TrainResult;
import dlx.nmt.train.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A one-layer attention model that must copy the value of one token of the sequence: the token
 * whose key matches the query (by content) or the first token (by position). Solved once with
 * hand-coded weights and once with weights learned by AdamW; their accuracies on fresh examples
 * and their attention maps are compared.
 */
abstract class SelectExperiment implements Experiment {
    private final SelectTask.Mode mode;
    private final String id;
    private final String title;

    SelectExperiment(SelectTask.Mode mode, String id, String title) {
        this.mode = mode;
        this.id = id;
        this.title = title;
    }

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder(id).title(title)
                .description("Tokens carry a key, a value and a position (one-hot). " + (mode == SelectTask.Mode.CONTENT
                        ? "The query is one of the keys; the answer is that token's value."
                        : "The query is a constant; the answer is the first token's value.")
                        + " A single attention layer (W_q, W_k, W_v, W_o, no biases) is solved with hand-coded "
                        + "weights and trained with AdamW; accuracies on fresh examples, attention heat maps, and the "
                        + "cosine similarity of the two sets of weights up to the symmetries that leave attention unchanged.")
                .param(ParamSpec.integer("keys", 16).range(2, 256).help("number of distinct keys"))
                .param(ParamSpec.integer("values", 10).range(2, 256).help("number of values (classes)"))
                .param(ParamSpec.integer("length", 8).range(2, 64).help("tokens per sequence (<= keys)"))
                .param(ParamSpec.integer("hidden", 32).quick(16).range(1, 1024).help("key/value width of the learned model"))
                .param(ParamSpec.integer("epochs", 20).quick(6).range(1, 10000).help("training epochs"))
                .param(ParamSpec.integer("stepsPerEpoch", 200).quick(60).range(1, 100000).help("batches per epoch"))
                .param(ParamSpec.integer("batchSize", 64).range(1, 4096).help("examples per batch"))
                .param(ParamSpec.decimal("learningRate", 0.01).range(1e-6, 1).help("AdamW peak learning rate"))
                .param(ParamSpec.integer("testExamples", 5000).quick(1000).range(10, 1000000).help("fresh examples for accuracy"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        var p = request.params();
        SelectTask task = new SelectTask(mode, p.integer("keys"), p.integer("values"), p.integer("length"),
                p.integer("batchSize"), 8, request.seed());
        reporter.dataSource(dlx.api.DataSource.generated("select-" + mode.name().toLowerCase(java.util.Locale.ROOT),
                "dlx.nmt.data.SelectTask: " + p.integer("keys") + " keys, " + p.integer("values") + " values, length "
                + p.integer("length"), request.seed()));
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        Shape[] shapes = {new Shape(1, task.width()), new Shape(1, task.length(), task.width())};
        List<SelectTask.Example> test = task.examples(new Random(request.seed() + 1), p.integer("testExamples"));
        int show = Math.min(12, test.size());

        try (Model hand = Model.newInstance("select-hand-coded", device);
             Model learned = Model.newInstance("select-learned", device)) {
            int keyDim = mode == SelectTask.Mode.CONTENT ? task.keys() : task.length();
            AttentionSelector handBlock = new AttentionSelector(keyDim, task.values(), task.values());
            hand.setBlock(handBlock);
            handBlock.initialize(hand.getNDManager(), DataType.FLOAT32, shapes);
            float[][][] w = task.handCodedWeights(12f);
            handBlock.setWeights(w[0], w[1], w[2], w[3]);
            Evaluation handEval = evaluate(hand, task, test, show);

            int hidden = p.integer("hidden");
            AttentionSelector learnedBlock = new AttentionSelector(hidden, hidden, task.values());
            learned.setBlock(learnedBlock);
            learnedBlock.initialize(learned.getNDManager(), DataType.FLOAT32, shapes);
            TrainConfig cfg = TrainConfig.of("train", p.integer("epochs"), p.integer("stepsPerEpoch"),
                    (float) p.decimal("learningRate"), request.seed()).withWeightDecay(0f);
            TrainResult tr = Training.of(learned, task, cfg).report(reporter, Labels.NONE)
                    .cancellation(request.cancellation()).run();
            reporter.plot(Training.lossPlot("loss.png", id + ": learned model"));
            Evaluation learnedEval = evaluate(learned, task, test, show);

            // EECS182 Q2(b,c): the learned weights against the hand-coded ones, up to the symmetries of attention.
            SelectorMaps handMaps = SelectorMaps.of(handBlock.weights(), task.queries(), task.tokenBlocks());
            SelectorMaps learnedMaps = SelectorMaps.of(learnedBlock.weights(), task.queries(), task.tokenBlocks());
            double queryKey = SelectorMaps.cosine(handMaps.logits(), learnedMaps.logits());
            double valueOutput = SelectorMaps.cosine(handMaps.output(), learnedMaps.output());
            reporter.answer("queryKeySimilarity", queryKey);
            reporter.answer("valueOutputSimilarity", valueOutput);
            reporter.metric("queryKeySimilarity", queryKey);
            reporter.metric("valueOutputSimilarity", valueOutput);
            reporter.answer("accuracyHandCoded", handEval.accuracy);
            reporter.answer("accuracyLearned", learnedEval.accuracy);
            reporter.answer("chanceAccuracy", 1.0 / task.values());
            reporter.answer("targetAttentionHandCoded", handEval.targetWeight);
            reporter.answer("targetAttentionLearned", learnedEval.targetWeight);
            reporter.metric("accuracyHandCoded", handEval.accuracy);
            reporter.metric("accuracyLearned", learnedEval.accuracy);
            reporter.metric("bestValLoss", tr.bestValLoss());
            reporter.metric("finalValLoss", tr.finalValLoss());
            reporter.log(String.format("hand-coded accuracy %.4f, learned accuracy %.4f (chance %.2f); cosine of the "
                    + "attention-score maps %.3f, of the output maps %.3f", handEval.accuracy, learnedEval.accuracy,
                    1.0 / task.values(), queryKey, valueOutput));
            plotMaps(reporter, task, handMaps, learnedMaps);

            List<String> columns = new ArrayList<>();
            for (int i = 0; i < task.length(); i++) {
                columns.add("pos " + i);
            }
            List<String> rows = new ArrayList<>();
            for (int e = 0; e < show; e++) {
                SelectTask.Example ex = test.get(e);
                rows.add(mode == SelectTask.Mode.CONTENT ? "key " + ex.keys()[ex.target()] + " @" + ex.target() : "ex " + e);
            }
            String example = mode == SelectTask.Mode.CONTENT ? "queried key @ its position" : "example";
            reporter.plot(new HeatMap("attention-hand-coded.png", id + ": attention, hand-coded weights", "attended token",
                    example, columns, rows, handEval.maps));
            reporter.plot(new HeatMap("attention-learned.png", id + ": attention, learned weights", "attended token",
                    example, columns, rows, learnedEval.maps));
            double[][] both = new double[show][2 * task.length() + 1];
            List<String> bothColumns = new ArrayList<>();
            for (int i = 0; i < task.length(); i++) {
                bothColumns.add("H" + i);
            }
            bothColumns.add("|");
            for (int i = 0; i < task.length(); i++) {
                bothColumns.add("L" + i);
            }
            for (int e = 0; e < show; e++) {
                System.arraycopy(handEval.maps[e], 0, both[e], 0, task.length());
                System.arraycopy(learnedEval.maps[e], 0, both[e], task.length() + 1, task.length());
            }
            reporter.plot(new HeatMap("attention-side-by-side.png", id + ": hand-coded (H) | learned (L) attention",
                    "attended token", example, bothColumns, rows, both));
        }
    }

    /**
     * The centred score maps side by side (rows: the queries asked; columns: the token features), each
     * divided by its largest magnitude, since temperature is not a symmetry the cosine cares about.
     */
    private void plotMaps(RunReporter reporter, SelectTask task, SelectorMaps hand, SelectorMaps learned) {
        List<String> columns = new ArrayList<>();
        String[] block = {"k", "v", "p"};
        List<int[]> blocks = task.tokenBlocks();
        for (int b = 0; b < blocks.size(); b++) {
            for (int i = 0; i < blocks.get(b).length; i++) {
                columns.add(block[b] + i);
            }
        }
        List<String> rows = new ArrayList<>();
        double[][] cells = new double[2 * hand.logits().length][];
        double hMax = maxAbs(hand.logits());
        double lMax = maxAbs(learned.logits());
        for (int q = 0; q < hand.logits().length; q++) {
            String name = mode == SelectTask.Mode.CONTENT ? "key " + q : "flag";
            rows.add("H " + name);
            cells[q] = scaled(hand.logits()[q], hMax);
        }
        for (int q = 0; q < learned.logits().length; q++) {
            rows.add("L " + (mode == SelectTask.Mode.CONTENT ? "key " + q : "flag"));
            cells[hand.logits().length + q] = scaled(learned.logits()[q], lMax);
        }
        reporter.plot(new HeatMap("score-maps.png", id + ": centred attention scores per token feature, hand-coded (H) "
                + "and learned (L)", "token feature (k: key, v: value, p: position)", "query", columns, rows, cells));
    }

    private static double maxAbs(double[][] m) {
        double max = 1e-12;
        for (double[] row : m) {
            for (double v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    private static double[] scaled(double[] row, double by) {
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = Math.round(row[i] / by * 100) / 100.0;
        }
        return out;
    }

    private record Evaluation(double accuracy, double targetWeight, double[][] maps) { }

    private static Evaluation evaluate(Model model, SelectTask task, List<SelectTask.Example> examples, int show) {
        int correct = 0;
        double target = 0;
        double[][] maps = new double[show][task.length()];
        int chunk = 500;
        try (NDManager m = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            for (int start = 0; start < examples.size(); start += chunk) {
                List<SelectTask.Example> part = examples.subList(start, Math.min(examples.size(), start + chunk));
                try (NDManager sub = m.newSubManager()) {
                    Batch b = task.encode(sub, part);
                    NDList out = model.getBlock().forward(ps, b.inputs(), false);
                    long[] pred = out.get(0).argMax(-1).toLongArray();
                    float[] weights = out.get(1).toFloatArray();
                    for (int e = 0; e < part.size(); e++) {
                        SelectTask.Example ex = part.get(e);
                        if (pred[e] == ex.answer()) {
                            correct++;
                        }
                        target += weights[e * task.length() + ex.target()];
                        int global = start + e;
                        if (global < show) {
                            for (int i = 0; i < task.length(); i++) {
                                maps[global][i] = Math.round(weights[e * task.length() + i] * 100) / 100.0;
                            }
                        }
                    }
                }
            }
        }
        return new Evaluation((double) correct / examples.size(), target / examples.size(), maps);
    }
}
