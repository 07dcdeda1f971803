package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Experiment;
import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        List<String> ids = plugin.experiments().stream().map(c -> {
            try {
                return c.getConstructor().newInstance().spec().id();
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }).toList();
        assertThat(ids).containsExactly("bert.frozen", "bert.finetune", "bert.compare-pretraining", "bert.inspect");
    }

    @Test
    void frozen() {
        ExperimentResult r = run(new FrozenExperiment(), Map.of("profile", "quick"));
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
    void finetune() {
        ExperimentResult r = run(new FinetuneExperiment(), Map.of("profile", "quick"));
        Labels fineTuned = Labels.of("training", "fine-tuned");
        Labels frozen = Labels.of("training", "frozen");
        assertThat(r.metric("importMaxAbsDiff")).isLessThan(1e-3);
        assertThat(r.metric("valAccuracy", fineTuned)).isGreaterThan(CHANCE + 0.3);
        assertThat(r.metric("valAccuracy", frozen)).isGreaterThan(CHANCE + 0.3);
        assertThat(r.series("trainLoss", fineTuned)).hasSize(2);
        assertThat(r.series("valAccuracy", frozen)).hasSize(40);
        assertThat(r.metrics()).containsKeys("trainSeconds{training=fine-tuned}", "epochSeconds{training=fine-tuned}",
                "trainSeconds{training=frozen}", "encodeSeconds", "trainableParameters");
        @SuppressWarnings("unchecked")
        Map<String, Double> answer = (Map<String, Double>) r.answer("valAccuracy");
        assertThat(answer).containsExactly(Map.entry("fine-tuned", r.metric("valAccuracy", fineTuned)),
                Map.entry("frozen", r.metric("valAccuracy", frozen)));
        assertThat(r.artifacts()).contains("loss.png", "accuracy.png");
    }

    @Test
    void comparePretrainingOnTheEmbeddedEncoderTwice() {
        ExperimentResult r = run(new ComparePretrainingExperiment(), Map.of("profile", "quick", "encoders", "embedded,embedded"));
        @SuppressWarnings("unchecked")
        Map<String, Double> acc = (Map<String, Double>) r.answer("valAccuracy");
        assertThat(acc).containsOnlyKeys("all-MiniLM-L6-v2", "all-MiniLM-L6-v2-2");
        assertThat(acc.values()).allMatch(a -> a > CHANCE + 0.3);
        assertThat(r.artifacts()).contains("accuracy-by-encoder.png", "accuracy.png", "loss.png");
        assertThat(r.series()).containsKeys("valAccuracy{encoder=all-MiniLM-L6-v2}", "valAccuracy{encoder=all-MiniLM-L6-v2-2}");
        // the same encoder, split and seed train the same head
        assertThat(r.metric("valAccuracy", Labels.of("encoder", "all-MiniLM-L6-v2")))
                .isEqualTo(r.metric("valAccuracy", Labels.of("encoder", "all-MiniLM-L6-v2-2")))
                .isEqualTo(acc.get("all-MiniLM-L6-v2"));
    }

    @Test
    void inspect() {
        ExperimentResult r = run(new InspectExperiment(), Map.of("profile", "quick",
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
