package dlx.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.onnx.OrtSettings;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bert.inspect: trains the frozen-encoder classifier for each encoder given (and, with
 * {@code finetune=true}, the fine-tuned model of bert.finetune) and reports each model's
 * predictions and class probabilities on the given expressions, plus where one model beats the
 * others and where all fail (on the given expressions and on the test set).
 */
public final class InspectExperiment implements Experiment {
    static final String DEFAULT_EXPRESSIONS = "three minus three,zero plus zero,twenty minus nineteen,nineteen minus twenty,"
            + "two minus twenty,ten plus zero,one minus zero,five minus six,seven plus eight,twelve minus twelve";

    private final Configuration configuration;

    /** {@code configuration} gives the ONNX Runtime settings ({@link OrtSettings}), read when a run starts. */
    @Inject
    public InspectExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return Bert.withHeadParams(ExperimentSpec.builder("bert.inspect")
                .title("Predictions of the trained models on chosen expressions")
                .description("Trains the frozen-encoder classifier on each encoder of 'encoders' and reports, for every "
                        + "expression of 'expressions' (\"<a> plus|minus <b>\" with number words zero..twenty, or any "
                        + "text), the predicted label and class probabilities of each model, the true label, and which "
                        + "expressions one model gets right where another fails, or all fail.")
                .param(Bert.encodersParam())
                .param(Bert.tweetNormalization())
                .param(ParamSpec.list("expressions", ParamType.STRING_LIST, DEFAULT_EXPRESSIONS)
                        .help("comma-separated expressions to classify"))
                .param(ParamSpec.bool("finetune", false).help("also fine-tune each encoder (as bert.finetune) and "
                        + "inspect the fine-tuned model beside the frozen one"))
                .param(ParamSpec.integer("epochs", 6).quick(2).range(1, 1000).help("fine-tuning epochs (with finetune=true)"))
                .param(ParamSpec.decimal("learningRate", 1e-4).range(1e-8, 1).help("fine-tuning AdamW learning rate")))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        List<EncoderFolder> folders = Bert.folders(request, request.params().stringList(Bert.ENCODERS));
        List<String> encoderNames = Bert.names(folders);
        List<String> names = new ArrayList<>();
        List<String> expressions = request.params().stringList("expressions");
        VerbalArithmetic.Split split = VerbalArithmetic.split(request.seed());
        reporter.dataSource(VerbalArithmetic.source(request.seed()));
        int[] testY = VerbalArithmetic.labels(split.test());
        Device device = Devices.choose(request);
        Map<String, float[][]> probs = new LinkedHashMap<>();
        Map<String, boolean[]> testCorrect = new LinkedHashMap<>();
        List<String> providers = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (int i = 0; i < folders.size(); i++) {
                String name = encoderNames.get(i);
                names.add(name);
                try (OnnxEncoder encoder = Bert.open(request, reporter, folders.get(i), OrtSettings.from(configuration))) {
                    providers.add(encoder.provider());
                    Bert.Encoded enc = Bert.encode(encoder, split);
                    Labels frozen = Bert.labels(name, Bert.FROZEN);
                    try (FrozenClassifier clf = FrozenClassifier.train(request, reporter, manager, enc.train(),
                            VerbalArithmetic.labels(split.train()), enc.test(), testY, Bert.headSettings(request), frozen)) {
                        Bert.report(reporter, frozen, clf.outcome());
                        probs.put(name, clf.probabilities(encoder.cls(expressions, 64)));
                        float[][] testProbs = clf.probabilities(enc.test());
                        boolean[] ok = new boolean[testY.length];
                        for (int k = 0; k < testY.length; k++) {
                            ok[k] = Head.argmax(testProbs[k]) == testY[k];
                        }
                        testCorrect.put(name, ok);
                    }
                    if (request.params().bool("finetune")) {
                        String tuned = name + " fine-tuned";
                        names.add(tuned);
                        fineTune(request, reporter, encoder, folders.get(i), split, manager, name, tuned, expressions, probs,
                                testCorrect);
                    }
                }
            }
        }
        reporter.usedDevice("ONNX Runtime " + String.join("/", providers.stream().distinct().toList()) + " (encoders); "
                + Devices.describe(device) + " (heads)");

        reporter.answer("models", names);
        Map<String, Object> predictions = new LinkedHashMap<>();
        List<String> allWrong = new ArrayList<>();
        Map<String, List<String>> onlyRight = new LinkedHashMap<>();
        names.forEach(n -> onlyRight.put(n, new ArrayList<>()));
        for (int e = 0; e < expressions.size(); e++) {
            String text = expressions.get(e);
            VerbalArithmetic.Example parsed = VerbalArithmetic.parse(text);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("truth", parsed == null ? "unknown" : VerbalArithmetic.LABELS.get(parsed.label()));
            List<String> right = new ArrayList<>();
            for (String name : names) {
                float[] p = probs.get(name)[e];
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", VerbalArithmetic.LABELS.get(Head.argmax(p)));
                Map<String, Double> byClass = new LinkedHashMap<>();
                for (int c = 0; c < p.length; c++) {
                    byClass.put(VerbalArithmetic.LABELS.get(c), Math.round(p[c] * 10000) / 10000.0);
                }
                m.put("probabilities", byClass);
                if (parsed != null) {
                    boolean correct = Head.argmax(p) == parsed.label();
                    m.put("correct", correct);
                    if (correct) {
                        right.add(name);
                    }
                }
                row.put(name, m);
                reporter.log(String.format("%-24s %-10s %s  p=%s", text, name, m.get("label"), byClass));
            }
            if (parsed != null) {
                if (right.isEmpty()) {
                    allWrong.add(text);
                } else if (right.size() == 1 && names.size() > 1) {
                    onlyRight.get(right.get(0)).add(text);
                }
            }
            predictions.put(text, row);
        }
        reporter.answer("predictions", predictions);
        reporter.answer("allWrong", allWrong);
        if (names.size() > 1) {
            reporter.answer("onlyThisModelRight", onlyRight);
        }
        // the same question over the whole test set
        List<String> testAllWrong = new ArrayList<>();
        for (int k = 0; k < testY.length; k++) {
            boolean any = false;
            for (boolean[] ok : testCorrect.values()) {
                any |= ok[k];
            }
            if (!any) {
                testAllWrong.add(split.test().get(k).text());
            }
        }
        reporter.answer("testSetAllWrong", testAllWrong);
        reporter.metric("testSetAllWrongCount", testAllWrong.size());
    }

    private static void fineTune(RunRequest request, RunReporter reporter, OnnxEncoder encoder, EncoderFolder folder,
                                 VerbalArithmetic.Split split, NDManager manager, String encoderName, String name,
                                 List<String> expressions, Map<String, float[][]> probs, Map<String, boolean[]> testCorrect)
            throws Exception {
        Labels labels = Bert.labels(encoderName, Bert.FINE_TUNED);
        List<String> testX = VerbalArithmetic.texts(split.test());
        int[] testY = VerbalArithmetic.labels(split.test());
        try (FineTunedModel model = FineTunedModel.createChecked(manager, encoder, folder, BertWeights.load(folder), 0,
                request.seed(), reporter, Labels.of(Bert.ENCODER, encoderName))) {
            Trained o = model.train(request, reporter, VerbalArithmetic.texts(split.train()),
                    VerbalArithmetic.labels(split.train()), testX, testY,
                    new FineTunedModel.Settings(request.params().integer("epochs"), request.params().decimal("learningRate"), 0,
                            request.params().integer("batchSize"), request.params().decimal("weightDecay"), false,
                            request.seed()), labels);
            Bert.report(reporter, labels, o);
            probs.put(name, model.probabilities(expressions));
            float[][] testProbs = model.probabilities(testX);
            boolean[] ok = new boolean[testY.length];
            for (int k = 0; k < testY.length; k++) {
                ok[k] = Head.argmax(testProbs[k]) == testY[k];
            }
            testCorrect.put(name, ok);
        }
    }
}
