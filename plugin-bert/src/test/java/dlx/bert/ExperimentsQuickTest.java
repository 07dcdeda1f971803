package dlx.bert;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Experiment;
import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One quick run per registered experiment on the embedded encoder, through the platform runner. */
class ExperimentsQuickTest {
    static final double CHANCE = 1.0 / 3;

    @TempDir
    Path tempDir;

    private ExperimentResult run(Experiment e, Map<String, String> params) {
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(tempDir, new SimpleMeterRegistry()))
                .run(e, "bert", params, Profile.QUICK);
        System.out.println(r.experiment() + " quick: " + r.metrics());
        assertThat(r.status()).as(String.valueOf(r.error())).isEqualTo(Status.OK);
        assertThat(tempDir.resolve(r.experiment()).resolve("result.json")).isRegularFile();
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
        assertThat(r.metric("importMaxAbsDiff")).isLessThan(1e-3);
        assertThat(r.metric("valAccuracy")).isGreaterThan(CHANCE + 0.3);
        assertThat(r.metric("frozenValAccuracy")).isGreaterThan(CHANCE + 0.3);
        assertThat(r.series().get("trainLoss")).hasSize(2);
        assertThat(r.metrics()).containsKeys("trainSeconds", "epochSeconds", "frozenTrainSeconds", "trainableParameters");
        assertThat(r.artifacts()).contains("loss.png", "accuracy.png");
    }

    @Test
    void comparePretrainingOnTheEmbeddedEncoderTwice() {
        ExperimentResult r = run(new ComparePretrainingExperiment(), Map.of("profile", "quick", "encoders", "embedded,embedded"));
        @SuppressWarnings("unchecked")
        Map<String, Double> acc = (Map<String, Double>) r.answer("valAccuracy");
        assertThat(acc).containsOnlyKeys("all-MiniLM-L6-v2", "all-MiniLM-L6-v2-2");
        assertThat(acc.values()).allMatch(a -> a > CHANCE + 0.3);
        assertThat(r.artifacts()).contains("accuracy-by-encoder.png", "accuracy.png");
        assertThat(r.series()).containsKeys("valAccuracyAllMiniLML6V2", "valAccuracyAllMiniLML6V22");
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
        assertThat(r.metric("valAccuracyAllMiniLML6V2")).isGreaterThan(CHANCE + 0.3);
        assertThat(r.answer("allWrong")).isInstanceOf(List.class);
    }
}
