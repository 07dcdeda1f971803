package dlx.kit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Params;
import dlx.api.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    private static final Map<String, String> CONFIG = config("42", "0.05");

    @TempDir
    Path dir;

    private static Map<String, String> config(String seed, String learningRate) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("learningRate", learningRate);
        m.put("layers", "2");
        return m;
    }

    /** Cosine decay over 12 updates with weight decay: every part of the update is exercised. */
    private static Tracker cosine() {
        return CosineTracker.builder().setBaseValue(0.05f).optFinalValue(0.005f).setMaxUpdates(12).build();
    }

    private static AdamW adamW() {
        return AdamW.builder().optLearningRateTracker(cosine()).optWeightDecays(0.02f).build();
    }

    private static byte[] initialParameters() throws Exception {
        try (TinyRegression seed = new TinyRegression(adamW(), null)) {
            return seed.parameters();
        }
    }

    private Checkpoints checkpoints(TinyRegression task, AdamW optimizer, boolean resume, Map<String, String> config) {
        return Checkpoints.in(dir).resume(resume).fingerprint(config)
                .model(task.model().getBlock(), task.model().getNDManager()).optimizer(optimizer).build();
    }

    private static void assertSameValues(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).containsExactly(v));
    }

    @Test
    void adamWGivesExactlyTheParametersOfDjlsAdamW() throws Exception {
        byte[] initial = initialParameters();
        Optimizer djl = Optimizer.adamW().optLearningRateTracker(cosine()).optWeightDecays(0.02f).build();
        try (TinyRegression theirs = new TinyRegression(djl, initial);
             TinyRegression ours = new TinyRegression(adamW(), initial);
             TinyRegression untrained = new TinyRegression(adamW(), initial)) {
            TrainingLoop loop = TrainingLoop.builder("t").epochs(3).stepsPerEpoch(4).build();
            loop.run(theirs);
            loop.run(ours);
            assertSameValues(ours.values(), theirs.values());
            // ... and it did train: every parameter moved.
            untrained.values().forEach((k, v) -> assertThat(Arrays.equals(ours.values().get(k), v)).as(k).isFalse());
        }
    }

    @Test
    void resumingContinuesExactlyAsTheUninterruptedRunAndTimesItsOwnSteps() throws Exception {
        byte[] initial = initialParameters();
        Map<String, float[]> uninterrupted;
        try (TinyRegression u = new TinyRegression(adamW(), initial)) {
            TrainingLoop.builder("u").epochs(4).stepsPerEpoch(3).evaluateFirst().build().run(u);
            uninterrupted = u.values();
        }
        AdamW first = adamW();
        try (TinyRegression task = new TinyRegression(first, initial)) {
            TrainingSummary s = TrainingLoop.builder("a").epochs(2).stepsPerEpoch(3).evaluateFirst()
                    .listener(checkpoints(task, first, false, CONFIG)).build().run(task);
            assertThat(s.resumedFromEpoch()).isZero();
        }
        byte[] afterEpoch2 = Files.readAllBytes(dir.resolve(Checkpoints.FILE));
        AdamW second = adamW();
        // Fresh random parameters: the checkpoint has to replace them.
        try (TinyRegression task = new TinyRegression(second, null)) {
            TrainingSummary s = TrainingLoop.builder("b").epochs(4).stepsPerEpoch(3).evaluateFirst()
                    .listener(checkpoints(task, second, true, CONFIG)).build().run(task);
            assertThat(s.resumedFromEpoch()).isEqualTo(3);
            assertThat(s.history()).extracting(EpochResult::epoch).containsExactly(0, 1, 2, 3, 4);
            assertThat(s.history().get(1).get("valLoss")).isEqualTo(0.5);
            assertThat(s.steps()).isEqualTo(12);
            assertThat(second.updates()).isEqualTo(12);
            assertThat(s.msPerStep()).isPositive();
            assertThat(s.itemsPerSecond()).isPositive();
            assertSameValues(task.values(), uninterrupted);
        }
        // Control: the same resume without the optimiser's state (moments restarted at zero) ends elsewhere.
        Files.write(dir.resolve(Checkpoints.FILE), afterEpoch2);
        try (TinyRegression task = new TinyRegression(adamW(), null)) {
            Checkpoints parametersOnly = Checkpoints.in(dir).resume(true).fingerprint(CONFIG)
                    .model(task.model().getBlock(), task.model().getNDManager()).build();
            TrainingLoop.builder("c").epochs(4).stepsPerEpoch(3).listener(parametersOnly).build().run(task);
            assertThat(task.values()).anySatisfy((k, v) -> assertThat(Arrays.equals(v, uninterrupted.get(k))).isFalse());
        }
    }

    @Test
    void writesOneReadableFileAtomicallyAndWithoutResumeStartsOver() throws Exception {
        AdamW optimizer = adamW();
        try (TinyRegression task = new TinyRegression(optimizer, null)) {
            Checkpoints c = checkpoints(task, optimizer, false, CONFIG);
            TrainingLoop.builder("a").epochs(1).stepsPerEpoch(2).listener(c).build().run(task);
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly(Checkpoints.FILE);
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.file()))).isEqualTo("rw-r--r--");
            TrainingSummary again = TrainingLoop.builder("b").epochs(1).stepsPerEpoch(2).listener(c).build().run(task);
            assertThat(again.resumedFromEpoch()).isZero();
            assertThat(again.steps()).isEqualTo(2);
        }
    }

    @Test
    void aCheckpointOfOtherParametersIsRefusedNamingEachDifference() throws Exception {
        AdamW optimizer = adamW();
        try (TinyRegression task = new TinyRegression(optimizer, null)) {
            TrainingLoop.builder("a").epochs(1).stepsPerEpoch(2).listener(checkpoints(task, optimizer, false, CONFIG))
                    .build().run(task);
            Checkpoints other = checkpoints(task, optimizer, true, config("7", "0.01"));
            assertThatThrownBy(() -> TrainingLoop.builder("b").epochs(2).stepsPerEpoch(2).listener(other).build().run(task))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("checkpoint " + other.file() + " belongs to another configuration: seed 42 -> 7, "
                            + "learningRate 0.05 -> 0.01; delete it or use the same parameters");
        }
    }

    @Test
    void anUnreadableCheckpointFailsNamingTheFile() throws Exception {
        AdamW optimizer = adamW();
        try (TinyRegression task = new TinyRegression(optimizer, null)) {
            Checkpoints c = checkpoints(task, optimizer, true, CONFIG);
            Files.writeString(c.file(), "not a checkpoint");
            assertThatThrownBy(() -> TrainingLoop.builder("a").epochs(1).stepsPerEpoch(1).listener(c).build().run(task))
                    .hasMessageStartingWith("cannot read checkpoint " + c.file() + ": not a dlx training checkpoint");

            TrainingLoop.builder("b").epochs(1).stepsPerEpoch(1).listener(checkpoints(task, optimizer, false, CONFIG))
                    .build().run(task);
            byte[] whole = Files.readAllBytes(c.file());
            Files.write(c.file(), Arrays.copyOf(whole, whole.length / 2));
            assertThatThrownBy(() -> TrainingLoop.builder("c").epochs(2).stepsPerEpoch(1).listener(c).build().run(task))
                    .hasMessageStartingWith("cannot read checkpoint " + c.file() + ": ")
                    .hasMessageEndingWith("; delete it to start over");
        }
    }

    @Test
    void theFingerprintIsTheResolvedParametersLessProfileAndTheIgnoredOnes() {
        ExperimentSpec spec = ExperimentSpec.builder("t.fingerprint")
                .param(ParamSpec.integer("epochs", 30).quick(3))
                .param(ParamSpec.decimal("learningRate", 1e-3).quick(5e-3))
                .param(ParamSpec.list("contexts", ParamType.INT_LIST, "2,16,64"))
                .build();
        Params p = Params.resolve(spec, Map.of("seed", "7"), Profile.QUICK);
        assertThat(Checkpoints.fingerprint(p, "epochs"))
                .containsExactly(Map.entry("seed", "7"), Map.entry("learningRate", "0.005"), Map.entry("contexts", "2,16,64"));
    }
}
