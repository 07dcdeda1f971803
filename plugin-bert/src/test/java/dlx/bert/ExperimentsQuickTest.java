package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Experiment;
import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One quick run per registered experiment on the embedded encoder, through the platform's test kit. */
class ExperimentsQuickTest {
    static final double CHANCE = 1.0 / 3;

    @TempDir
    Path tempDir;

    private ExperimentResult run(Experiment e, Map<String, String> params) {
        ExperimentResult r = ExperimentTestKit.quick(e).params(params).plugin("bert").in(tempDir).run();
        System.out.println(r.experiment() + " quick: " + r.metrics());
        assertThat(r.status()).as(String.valueOf(r.error())).isEqualTo(Status.OK);
        assertThat(tempDir.resolve(r.experiment()).resolve(r.runId()).resolve("result.json")).isRegularFile();
        return r;
    }

    @Test
    void pluginRegistersEveryExperiment() throws Exception {
        BertPlugin plugin = new BertPlugin();
        assertThat(plugin.name()).isEqualTo("bert");
        List<dlx.api.ExperimentSpec> specs = plugin.experiments().stream().map(c -> ExperimentTestKit.create(c).spec()).toList();
        // The catalogue's experiments, in order; benchmarks (dlx bench) may sit beside them.
        assertThat(specs.stream().filter(s -> !s.benchmark()).map(dlx.api.ExperimentSpec::id))
                .containsExactly("bert.frozen", "bert.finetune", "bert.compare-pretraining", "bert.inspect");
    }

    @Test
    void frozen() {
        ExperimentResult r = run(new FrozenExperiment(PlatformConfig.fromSystem()), Map.of("profile", "quick"));
        assertThat(r.metric("valAccuracy")).isGreaterThan(CHANCE + 0.3);
        assertThat(r.series().get("trainLoss")).hasSize(40);
        assertThat(r.series().get("valAccuracy")).hasSize(40);
        List<double[]> loss = r.series().get("trainLoss");
        assertThat(loss.get(loss.size() - 1)[1]).isLessThan(loss.get(0)[1]);
        assertThat(r.metrics()).containsKeys("trainSeconds", "epochSeconds", "encodeSeconds", "majorityBaseline");
        assertThat(r.device()).startsWith("ONNX Runtime CPU");
        assertThat(r.artifacts()).contains("loss.png", "accuracy.png");
    }

    @Test
    void finetuneBesideTheFrozenEncoderWithTheSameHead() {
        ExperimentResult r = run(new FinetuneExperiment(PlatformConfig.fromSystem()), Map.of("profile", "quick"));
        Labels fineTuned = Labels.of("training", "fine-tuned", "head", "linear");
        Labels frozen = Labels.of("training", "frozen", "head", "linear");
        Labels mlp = Labels.of("training", "frozen", "head", "mlp128");
        assertThat(r.metric("importMaxAbsDiff")).isLessThan(1e-3);
        for (Labels l : List.of(fineTuned, frozen, mlp)) {
            assertThat(r.metric("valAccuracy", l)).as(l.toString()).isGreaterThan(CHANCE + 0.3);
        }
        assertThat(r.series("trainLoss", fineTuned)).hasSize(2);
        assertThat(r.series("valAccuracy", frozen)).hasSize(40);
        assertThat(r.metrics()).containsKeys("encodeSeconds", "majorityBaseline", "importSeconds");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> answer = (Map<String, Map<String, Double>>) r.answer("valAccuracy");
        assertThat(answer.get("fine-tuned")).containsExactly(Map.entry("linear", r.metric("valAccuracy", fineTuned)));
        assertThat(answer.get("frozen")).containsExactly(Map.entry("linear", r.metric("valAccuracy", frozen)),
                Map.entry("mlp128", r.metric("valAccuracy", mlp)));
        // The same linear head (384 x 3 + 3 weights) is all the frozen run trains; fine-tuning trains it and the
        // encoder less its word-embedding matrix.
        assertThat(r.metric("trainableParameters", frozen)).isEqualTo(384 * 3 + 3);
        assertThat(r.metric("trainableParameters", mlp)).isEqualTo(384 * 128 + 128 + 128 * 3 + 3);
        assertThat(r.metric("trainableParameters", fineTuned)).isGreaterThan(5e6);
        // The answers follow from the two models' measured numbers.
        double ratio = r.metric("epochSeconds", fineTuned) / r.metric("epochSeconds", frozen);
        assertThat((Double) r.answer("epochSecondsRatio")).isCloseTo(ratio, Offset.offset(1e-9 * ratio));
        assertThat((Double) r.answer("accuracyGain"))
                .isCloseTo(r.metric("valAccuracy", fineTuned) - r.metric("valAccuracy", frozen), Offset.offset(1e-12));
        // An epoch through the whole encoder costs more than a head epoch on fixed vectors.
        assertThat(ratio).isGreaterThan(1);
        assertThat(r.answer("why")).asString().contains("The frozen encoder trains faster", "same linear head on [CLS]");
        assertThat(r.artifacts()).contains("loss.png", "accuracy.png");
    }

    @Test
    void comparePretrainingFineTunesEveryEncoderTheSameWay() {
        ExperimentResult r = run(new ComparePretrainingExperiment(PlatformConfig.fromSystem()),
                Map.of("profile", "quick", "epochs", "1", "encoders", "embedded,embedded"));
        String a = "all-MiniLM-L6-v2";
        String b = "all-MiniLM-L6-v2-2";
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> acc = (Map<String, Map<String, Double>>) r.answer("valAccuracy");
        assertThat(acc).containsOnlyKeys(a, b);
        for (String encoder : List.of(a, b)) {
            assertThat(acc.get(encoder)).containsOnlyKeys("fine-tuned", "frozen");
            assertThat(acc.get(encoder).values()).allMatch(v -> v > CHANCE + 0.3);
            assertThat(r.metric("importMaxAbsDiff", Labels.of("encoder", encoder))).isLessThan(1e-3);
            assertThat(r.series("valAccuracy", Labels.of("encoder", encoder, "training", "fine-tuned"))).hasSize(1);
            assertThat(r.series("valAccuracy", Labels.of("encoder", encoder, "training", "frozen"))).hasSize(40);
        }
        // The same encoder, split, schedule and seed give the same models, fine-tuned and frozen.
        assertThat(acc.get(a)).isEqualTo(acc.get(b));
        assertThat(r.answer("best")).isEqualTo(a);
        assertThat(r.answer("bestFrozen")).isEqualTo(a);
        @SuppressWarnings("unchecked")
        Map<String, String> why = (Map<String, String>) r.answer("why");
        assertThat(why).containsOnlyKeys(a, b);
        assertThat(r.artifacts()).contains("compare-pretraining.csv", "accuracy-by-encoder.png", "accuracy.png", "loss.png");
    }

    @Test
    void inspect() {
        ExperimentResult r = run(new InspectExperiment(PlatformConfig.fromSystem()), Map.of("profile", "quick",
                "expressions", "three minus three,twenty plus one,two minus twenty"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> p = (Map<String, Map<String, Object>>) r.answer("predictions");
        assertThat(p).containsOnlyKeys("three minus three", "twenty plus one", "two minus twenty");
        assertThat(p.get("twenty plus one")).containsEntry("truth", "positive").containsKey("all-MiniLM-L6-v2");
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) p.get("two minus twenty").get("all-MiniLM-L6-v2");
        assertThat(model).containsKeys("label", "probabilities", "correct");
        assertThat(r.metric("valAccuracy", Labels.of("encoder", "all-MiniLM-L6-v2", "training", "frozen")))
                .isGreaterThan(CHANCE + 0.3);
        assertThat(r.answer("allWrong")).isInstanceOf(List.class);
    }
}
