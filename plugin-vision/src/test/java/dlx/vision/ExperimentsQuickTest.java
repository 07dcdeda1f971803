package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.Experiment;
import dlx.api.Labels;
import dlx.engine.ExperimentResult;
import dlx.engine.Status;
import dlx.engine.config.PlatformConfig;
import dlx.testkit.ExperimentTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One quick-profile run of every vision experiment through the platform's run engine, on the real Fashion-MNIST. */
class ExperimentsQuickTest {
    @TempDir
    Path out;

    private ExperimentTestKit kit;

    private ExperimentResult run(Experiment e) {
        kit = ExperimentTestKit.quick(e).plugin("vision").in(out);
        ExperimentResult r = kit.run();
        assertThat(r.status()).as(r.error()).isEqualTo(Status.OK);
        for (String a : r.artifacts()) {
            assertThat(kit.outputDir().resolve(a)).isRegularFile();
        }
        return r;
    }

    private static double last(List<double[]> series) {
        return series.get(series.size() - 1)[1];
    }

    @Test
    void pluginListsTheFiveExperimentsAndTheBenchmark() throws Exception {
        VisionPlugin plugin = new VisionPlugin();
        assertThat(plugin.name()).isEqualTo("vision");
        List<String> ids = new java.util.ArrayList<>();
        for (Class<? extends Experiment> c : plugin.experiments()) {
            ids.add(ExperimentTestKit.create(c).spec().id());
        }
        assertThat(ids).containsExactly("vision.mlp-scratch", "vision.batch-size", "vision.early-stopping",
                "vision.momentum", "vision.ood", "vision.bench-mlp");
        assertThat(new MlpBenchmarkExperiment(PlatformConfig.fromSystem()).spec().benchmark()).isTrue();
    }

    @Test
    void benchmarkReportsThroughputAndLearns() {
        ExperimentResult r = run(new MlpBenchmarkExperiment(PlatformConfig.fromSystem()));
        assertThat(r.series("examplesPerSecondByEpoch")).hasSize(3);
        assertThat(r.metric("examplesPerSecond")).isPositive();
        assertThat(r.metric("epochSeconds")).isCloseTo(10_000 / r.metric("examplesPerSecond"), Percentage.withPercentage(50));
        assertThat((Double) r.answer("trainAccuracyAfter")).isGreaterThan(0.7);
    }

    @Test
    void mlpScratch() {
        ExperimentResult r = run(new MlpScratchExperiment(PlatformConfig.fromSystem()));
        assertThat(r.metric("testAccuracy")).isGreaterThan(0.6);
        assertThat(r.metric("gradCheckMaxRelErr")).isLessThan(MlpScratchExperiment.GRAD_CHECK_TOLERANCE);
        assertThat(r.answers()).containsKeys("gradCheckMaxRelErr", "gradCheck", "testAccuracy", "gradL1", "gradL1Ratio");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> gradL1 = (Map<String, Map<String, Double>>) r.answer("gradL1");
        @SuppressWarnings("unchecked")
        Map<String, Double> ratio = (Map<String, Double>) r.answer("gradL1Ratio");
        assertThat(gradL1).containsOnlyKeys("initial", "trained");
        // The mean gradient over more examples averages out: its l1 norm shrinks, before and after training.
        for (String weights : List.of("initial", "trained")) {
            double small = gradL1.get(weights).get("50");
            double large = gradL1.get(weights).get("5000");
            assertThat(small).isGreaterThan(large);
            assertThat(ratio.get(weights)).isEqualTo(small / large);
            assertThat(r.metric("gradL1", Labels.of("weights", weights, "batchSize", "50"))).isEqualTo(small);
        }
        assertThat(r.metric("epochSeconds")).isPositive();
        assertThat(r.series("valAccuracy")).hasSize(3);
        assertThat(r.series()).containsKeys("trainLoss", "trainAccuracy", "valAccuracy", "testAccuracy");
        // No early stopping in the quick profile: the reported accuracy is the last epoch's.
        assertThat(r.metric("testAccuracy")).isEqualTo(last(r.series("testAccuracy")));
        assertThat(r.artifacts()).contains("accuracy.png", "loss.png");
    }

    @Test
    void batchSize() {
        ExperimentResult r = run(new BatchSizeExperiment(PlatformConfig.fromSystem()));
        @SuppressWarnings("unchecked")
        Map<String, Double> acc = (Map<String, Double>) r.answer("testAccuracy");
        assertThat(acc).containsOnlyKeys("5", "50");
        assertThat(acc.values()).allSatisfy(a -> assertThat(a).isGreaterThan(0.4));
        assertThat(r.answers()).containsKeys("trainSeconds", "epochs", "updates");
        @SuppressWarnings("unchecked")
        Map<String, Long> updates = (Map<String, Long>) r.answer("updates");
        @SuppressWarnings("unchecked")
        Map<String, Integer> epochs = (Map<String, Integer>) r.answer("epochs");
        for (String b : List.of("5", "50")) {
            // Updates to the best epoch: that many passes over the 10,000 training examples.
            assertThat(updates.get(b)).isEqualTo(epochs.get(b) * (10_000L / Integer.parseInt(b)));
            Labels batch = Labels.of("batchSize", b);
            assertThat(r.metric("testAccuracy", batch)).isEqualTo(acc.get(b));
            assertThat(r.series("valAccuracy", batch)).hasSize(2);
        }
        assertThat(r.artifacts()).contains("test-accuracy-by-batch.png", "val-accuracy.png");
        // Two epochs without early stopping: a batch size is capped when its best epoch is the second.
        List<Integer> capped = epochs.entrySet().stream().filter(e -> e.getValue() == 2)
                .map(e -> Integer.parseInt(e.getKey())).toList();
        assertThat(r.answer("cappedRuns")).isEqualTo(capped);
        assertThat(r.answer("fewerUpdatesWithLargerBatch")).isEqualTo(updates.get("50") <= updates.get("5"));
        assertThat(r.answer("moreEpochsWithLargerBatch")).isEqualTo(epochs.get("50") >= epochs.get("5"));
        @SuppressWarnings("unchecked")
        Map<String, Double> val = (Map<String, Double>) r.answer("valAccuracy");
        assertThat(r.answer("bestBatchSize")).isEqualTo(val.get("50") > val.get("5") ? 50 : 5);
    }

    @Test
    void earlyStopping() {
        ExperimentResult r = run(new EarlyStoppingExperiment(PlatformConfig.fromSystem()));
        assertThat(r.metric("testAccuracy")).isGreaterThan(0.6);
        assertThat(r.answers()).containsKeys("stopEpoch", "bestEpoch", "testAccuracyAtBest");
        // The answers follow from the recorded validation curve.
        double[] val = r.series("valAccuracy").stream().mapToDouble(p -> p[1]).toArray();
        int[] stop = EarlyStoppingExperiment.wouldStop(val, 1);
        assertThat(r.answer("stopEpoch")).isEqualTo(stop[0]);
        assertThat(r.answer("bestEpoch")).isEqualTo(stop[1]);
        assertThat(r.answer("testAccuracyAtBest")).isEqualTo(r.series("testAccuracy").get(stop[1] - 1)[1]);
        assertThat(r.artifacts()).contains("early-stopping.png");
        List<double[]> test = r.series("testAccuracy");
        List<double[]> train = r.series("trainAccuracy");
        assertThat(r.answer("earlyStoppingHelps")).isEqualTo(test.get(stop[1] - 1)[1] > last(test));
        assertThat(r.answer("overfitsAfterBest"))
                .isEqualTo(last(train) > train.get(stop[1] - 1)[1] && last(r.series("valAccuracy")) < val[stop[1] - 1]);
        assertThat(r.series("testAccuracy")).hasSize(3);
    }

    @Test
    void momentum() {
        ExperimentResult r = run(new MomentumExperiment(PlatformConfig.fromSystem()));
        @SuppressWarnings("unchecked")
        Map<String, Double> acc = (Map<String, Double>) r.answer("testAccuracy");
        assertThat(acc).containsOnlyKeys("0.1", "0.3", "0.5", "0.7", "0.9");
        assertThat(acc.values()).allSatisfy(a -> assertThat(a).isGreaterThan(0.6));
        @SuppressWarnings("unchecked")
        Map<String, Double> finalLoss = (Map<String, Double>) r.answer("finalTrainLoss");
        for (String alpha : acc.keySet()) {
            Labels labels = Labels.of("alpha", alpha);
            assertThat(r.series("trainLoss", labels)).hasSize(2);
            assertThat(last(r.series("trainLoss", labels))).isEqualTo(finalLoss.get(alpha));
            assertThat(r.metric("testAccuracy", labels)).isEqualTo(acc.get(alpha));
        }
        assertThat(r.series("testAccuracyByAlpha")).hasSize(5);
        // The chosen alpha has the highest validation accuracy (the first on ties); the test set plays no part.
        @SuppressWarnings("unchecked")
        Map<String, Double> val = (Map<String, Double>) r.answer("valAccuracy");
        String chosen = val.entrySet().stream().reduce((a, b) -> b.getValue() > a.getValue() ? b : a).orElseThrow().getKey();
        String lowest = finalLoss.entrySet().stream().reduce((a, b) -> b.getValue() < a.getValue() ? b : a).orElseThrow().getKey();
        assertThat(r.answer("chosenAlpha")).isEqualTo(Double.parseDouble(chosen));
        assertThat(r.answer("lowestTrainLossAlpha")).isEqualTo(Double.parseDouble(lowest));
        assertThat(r.artifacts()).contains("momentum-train-loss.png", "test-accuracy-by-alpha.png");
    }

    @Test
    void ood() throws Exception {
        ExperimentResult r = run(new OodExperiment());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> acc = (Map<String, Map<String, Double>>) r.answer("accuracy");
        assertThat(acc).containsOnlyKeys("mlp", "cnn2", "cnn3");
        for (Map.Entry<String, Map<String, Double>> m : acc.entrySet()) {
            assertThat(m.getValue()).containsOnlyKeys("original", "shiftUp4", "rot90", "rot180", "rot270");
            assertThat(m.getValue().get("original")).isGreaterThan(50.0); // percent; chance is 10
            Labels model = Labels.of("model", m.getKey());
            assertThat(r.metric("accuracy", model.and("testSet", "rot90"))).isEqualTo(m.getValue().get("rot90"));
            // The loop's last evaluation is the same model on the same original test set.
            assertThat(last(r.series("testAccuracy", model))).isEqualTo(m.getValue().get("original"));
            assertThat(r.series("trainLoss", model)).hasSize(2);
            assertThat(r.metric("examplesPerSecond", model)).isPositive();
        }
        @SuppressWarnings("unchecked")
        Map<String, Long> params = (Map<String, Long>) r.answer("params");
        assertThat(params).containsEntry("mlp", 101_770L).containsEntry("cnn2", 80_650L).containsEntry("cnn3", 68_106L);
        assertThat(r.device()).contains("PyTorch");
        // The quick profile asks for one libtorch thread, set by reflection on the engine.
        assertThat(kit.log()).anySatisfy(line -> assertThat(line).contains("libtorch intra-op threads: 1"));
        assertThat(r.artifacts()).contains("ood.csv", "ood-accuracy.png", "train-loss.png", "test-accuracy.png");
        List<String> csv = Files.readAllLines(kit.outputDir().resolve("ood.csv"));
        assertThat(csv).hasSize(4);
        assertThat(csv.get(0)).isEqualTo("model,params,trainSeconds,trainCpuSeconds,courseColabSeconds,original,shiftUp4,rot90,rot180,rot270");
        assertThat(csv.get(1)).startsWith("mlp,101770,");
        assertThat(csv.get(2)).startsWith("cnn2,80650,").contains(",360,");
        // One libtorch thread: the training ran on the calling thread, which spent CPU time on it.
        @SuppressWarnings("unchecked")
        Map<String, Double> cpu = (Map<String, Double>) r.answer("trainCpuSeconds");
        assertThat(cpu).containsOnlyKeys("mlp", "cnn2", "cnn3");
        assertThat(cpu.values()).allSatisfy(c -> assertThat(c).isPositive());
        // The quick profile trains on 2,000 of the 60,000 training images.
        assertThat(r.answer("trainImages")).isEqualTo(2000);
        // A model trained alone gives what it gives beside the others: a seed's study can be split into runs.
        ExperimentResult alone = ExperimentTestKit.quick(new OodExperiment()).param("models", "cnn3").plugin("vision")
                .in(out.resolve("alone")).run();
        assertThat(alone.status()).as(alone.error()).isEqualTo(Status.OK);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>> aloneAcc = (Map<String, Map<String, Double>>) alone.answer("accuracy");
        assertThat(aloneAcc).containsOnlyKeys("cnn3").containsEntry("cnn3", acc.get("cnn3"));
    }
}
