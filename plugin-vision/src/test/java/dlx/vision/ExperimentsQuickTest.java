package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Experiment;
import dlx.api.ExperimentResult;
import dlx.api.Profile;
import dlx.api.Status;
import dlx.kit.runtime.ExperimentRunner;
import dlx.kit.runtime.RunSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One quick-profile run of every vision experiment through the platform's runner, on the real Fashion-MNIST. */
class ExperimentsQuickTest {
    @TempDir
    Path out;

    private ExperimentResult run(Experiment e) {
        ExperimentResult r = new ExperimentRunner(RunSettings.quiet(out, new SimpleMeterRegistry()))
                .run(e, "vision", Map.of("profile", "quick"), Profile.QUICK);
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        for (String a : r.artifacts()) {
            assertThat(out.resolve(r.experiment()).resolve(a)).isRegularFile();
        }
        return r;
    }

    @Test
    void pluginListsTheFiveExperimentsAndTheBenchmark() throws Exception {
        VisionPlugin plugin = new VisionPlugin();
        assertThat(plugin.name()).isEqualTo("vision");
        List<String> ids = new java.util.ArrayList<>();
        for (Class<? extends Experiment> c : plugin.experiments()) {
            ids.add(c.getConstructor().newInstance().spec().id());
        }
        assertThat(ids).containsExactly("vision.mlp-scratch", "vision.batch-size", "vision.early-stopping",
                "vision.momentum", "vision.ood", "vision.bench-mlp");
        assertThat(new MlpBenchmarkExperiment().spec().benchmark()).isTrue();
    }

    @Test
    void benchmarkReportsThroughputAndLearns() {
        ExperimentResult r = run(new MlpBenchmarkExperiment());
        assertThat(r.series().get("examplesPerSecondByEpoch")).hasSize(3);
        assertThat(r.metric("examplesPerSecond")).isPositive();
        assertThat(r.metric("epochSeconds")).isCloseTo(10_000 / r.metric("examplesPerSecond"), org.assertj.core.data.Percentage.withPercentage(50));
        assertThat((Double) r.answer("trainAccuracyAfter")).isGreaterThan(0.7);
    }

    @Test
    void mlpScratch() {
        ExperimentResult r = run(new MlpScratchExperiment());
        assertThat(r.metric("testAccuracy")).isGreaterThan(0.6);
        assertThat(r.metric("gradCheckMaxRelErr")).isLessThan(MlpScratchExperiment.GRAD_CHECK_TOLERANCE);
        assertThat(r.answers()).containsKeys("gradCheckMaxRelErr", "gradCheck", "testAccuracy", "gradL1Batch50", "gradL1Batch5000");
        assertThat((Double) r.answer("gradL1Batch50")).isGreaterThan((Double) r.answer("gradL1Batch5000"));
        assertThat(r.metric("epochSeconds")).isPositive();
        assertThat(r.series().get("valAccuracy")).hasSize(3);
        assertThat(r.series()).containsKeys("trainLoss", "trainAccuracy", "valAccuracy", "testAccuracy");
        assertThat(r.artifacts()).contains("accuracy.png", "loss.png");
    }

    @Test
    void batchSize() {
        ExperimentResult r = run(new BatchSizeExperiment());
        @SuppressWarnings("unchecked")
        Map<String, Double> acc = (Map<String, Double>) r.answer("testAccuracy");
        assertThat(acc).containsKeys("5", "50");
        assertThat(acc.values()).allSatisfy(a -> assertThat(a).isGreaterThan(0.4));
        assertThat(r.answers()).containsKeys("trainSeconds", "epochs", "updates");
        assertThat(r.artifacts()).contains("test-accuracy-by-batch.png", "val-accuracy.png");
    }

    @Test
    void earlyStopping() {
        ExperimentResult r = run(new EarlyStoppingExperiment());
        assertThat(r.metric("testAccuracy")).isGreaterThan(0.6);
        assertThat(r.answers()).containsKeys("stopEpoch", "bestEpoch", "testAccuracyAtBest");
        assertThat(r.artifacts()).contains("early-stopping.png");
        assertThat(r.series().get("testAccuracy")).hasSize(3);
    }

    @Test
    void momentum() {
        ExperimentResult r = run(new MomentumExperiment());
        @SuppressWarnings("unchecked")
        Map<String, Double> acc = (Map<String, Double>) r.answer("testAccuracy");
        assertThat(acc).containsOnlyKeys("0.1", "0.3", "0.5", "0.7", "0.9");
        assertThat(acc.values()).allSatisfy(a -> assertThat(a).isGreaterThan(0.6));
        assertThat(r.series()).containsKeys("trainLossAlpha0p1", "trainLossAlpha0p9");
        assertThat(r.artifacts()).contains("momentum-train-loss.png");
    }

    @Test
    void ood() throws Exception {
        ExperimentResult r = run(new OodExperiment());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> acc = (Map<String, Map<String, Double>>) r.answer("accuracy");
        assertThat(acc).containsOnlyKeys("mlp", "cnn2", "cnn3");
        for (Map<String, Double> m : acc.values()) {
            assertThat(m).containsOnlyKeys("original", "shiftUp4", "rot90", "rot180", "rot270");
            assertThat(m.get("original")).isGreaterThan(50.0); // percent; chance is 10
        }
        @SuppressWarnings("unchecked")
        Map<String, Long> params = (Map<String, Long>) r.answer("params");
        assertThat(params).containsEntry("mlp", 101_770L).containsEntry("cnn2", 80_650L).containsEntry("cnn3", 68_106L);
        assertThat(r.device()).contains("PyTorch");
        assertThat(r.artifacts()).contains("ood.csv", "ood-accuracy.png");
        assertThat(Files.readAllLines(out.resolve("vision.ood").resolve("ood.csv"))).hasSize(4);
    }
}
