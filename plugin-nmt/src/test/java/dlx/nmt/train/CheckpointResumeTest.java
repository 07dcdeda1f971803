package dlx.nmt.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dlx.api.CancellationToken;
import dlx.kit.djl.EngineThreads;
import dlx.kit.train.Checkpoints;
import dlx.nmt.data.SelectTask;
import dlx.nmt.model.AttentionSelector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's training with the kit's checkpoints: an interrupted run, resumed, ends as if never interrupted. */
class CheckpointResumeTest {
    @TempDir
    Path tempDir;

    private static final SelectTask TASK = new SelectTask(SelectTask.Mode.CONTENT, 6, 4, 4, 16, 2, 7);
    private static final Shape[] SHAPES = {new Shape(1, TASK.width()), new Shape(1, TASK.length(), TASK.width())};
    private static final TrainConfig CONFIG = TrainConfig.of("run", 3, 5, 0.01f, 1);

    /** A model with the given initial parameters ({@code Block.saveParameters} bytes), or random ones. */
    private static Model newModel(byte[] initial) throws Exception {
        Model model = Model.newInstance("select");
        AttentionSelector block = new AttentionSelector(8, 8, TASK.values());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, SHAPES);
        if (initial != null) {
            block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(initial)));
            block.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
        }
        return model;
    }

    private static Map<String, float[]> parameters(Model model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        model.getBlock().getParameters().forEach(e -> values.put(e.getKey(), e.getValue().getArray().toFloatArray()));
        return values;
    }

    private Training training(Model model, boolean resume) {
        return Training.of(model, TASK, CONFIG).checkpoints(Checkpoints.in(tempDir.resolve("checkpoints/run"))
                .resume(resume).fingerprint(Map.of("seed", "1")));
    }

    @Test
    void anInterruptedRunResumedFromItsCheckpointEndsExactlyAsTheUninterruptedOne() throws Exception {
        EngineThreads.configure();
        byte[] initial;
        try (Model template = newModel(null)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            template.getBlock().saveParameters(new DataOutputStream(bytes));
            initial = bytes.toByteArray();
        }
        TrainResult whole;
        Map<String, float[]> uninterrupted;
        try (Model model = newModel(initial)) {
            whole = Training.of(model, TASK, CONFIG).run();
            uninterrupted = parameters(model);
        }

        // Stopped (as by Ctrl-C) before the 11th step: the checkpoint of epoch 2 stays.
        int[] checks = {0};
        CancellationToken afterTenSteps = () -> ++checks[0] > 10;
        try (Model model = newModel(initial)) {
            assertThatThrownBy(() -> training(model, false).cancellation(afterTenSteps).run())
                    .isInstanceOf(CancellationException.class);
        }
        try (var files = Files.list(tempDir.resolve("checkpoints/run"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(Checkpoints.FILE);
        }

        // Another initialisation: what the run continues from must come from the checkpoint.
        try (Model model = newModel(null)) {
            TrainResult r = training(model, true).run();
            assertThat(r.summary().resumedFromEpoch()).isEqualTo(3);
            assertThat(r.steps()).isEqualTo(15);
            assertThat(r.summary().history()).hasSize(4);
            assertThat(r.initialValLoss()).isEqualTo(whole.initialValLoss());
            assertThat(r.finalValLoss()).isEqualTo(whole.finalValLoss());
            assertThat(r.bestValLoss()).isEqualTo(whole.bestValLoss());
            Map<String, float[]> resumed = parameters(model);
            uninterrupted.forEach((k, v) -> assertThat(resumed.get(k)).as(k).containsExactly(v));
            // Its speed is that of its own 5 steps.
            assertThat(r.msPerStep()).isPositive();
            assertThat(r.summary().itemsPerSecond()).isPositive();
        }

        // Without resume the run starts over and overwrites the checkpoint.
        try (Model model = newModel(null)) {
            TrainResult r = training(model, false).run();
            assertThat(r.summary().resumedFromEpoch()).isZero();
            assertThat(r.steps()).isEqualTo(15);
        }
    }
}
