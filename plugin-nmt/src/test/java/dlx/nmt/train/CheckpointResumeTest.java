package dlx.nmt.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dlx.kit.djl.EngineThreads;
import dlx.nmt.data.SelectTask;
import dlx.nmt.model.AttentionSelector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {
    @TempDir
    Path tempDir;

    private static final SelectTask TASK = new SelectTask(SelectTask.Mode.CONTENT, 6, 4, 4, 16, 2, 7);
    private static final Shape[] SHAPES = {new Shape(1, TASK.width()), new Shape(1, TASK.length(), TASK.width())};

    private static Model newModel(String name) {
        Model model = Model.newInstance(name);
        AttentionSelector block = new AttentionSelector(8, 8, TASK.values());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, SHAPES);
        return model;
    }

    private static Map<String, float[]> parameters(Model model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (var e : model.getBlock().getParameters()) {
            Parameter p = e.getValue();
            values.put(e.getKey(), p.getArray().toFloatArray());
        }
        return values;
    }

    @Test
    void savesEveryEpochAndResumesAfterTheLastCompletedOne() throws Exception {
        EngineThreads.configure();
        Checkpoint fresh = new Checkpoint(tempDir.resolve("checkpoints/run"), false);
        Map<String, float[]> saved;
        try (Model model = newModel("first")) {
            TrainResult r = TrainLoop.train(model, SHAPES, TASK, TrainConfig.of("first", 2, 5, 0.01f, 1), null, "", fresh);
            assertThat(r.resumedFromEpoch()).isZero();
            assertThat(r.steps()).isEqualTo(10);
            saved = parameters(model);
        }
        assertThat(fresh.exists()).isTrue();
        try (var files = Files.list(fresh.dir())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("checkpoint.bin");
        }

        try (Model model = newModel("loaded")) {
            assertThat(parameters(model).get(saved.keySet().iterator().next()))
                    .isNotEqualTo(saved.values().iterator().next());
            Checkpoint.State state = new Checkpoint(fresh.dir(), true).load(model.getBlock(), model.getNDManager());
            assertThat(state.epoch()).isEqualTo(2);
            assertThat(state.steps()).isEqualTo(10);
            assertThat(state.valCurve()).hasSize(3);
            Map<String, float[]> loaded = parameters(model);
            assertThat(loaded.keySet()).containsExactlyElementsOf(saved.keySet());
            saved.forEach((k, v) -> assertThat(loaded.get(k)).as(k).containsExactly(v));
        }

        try (Model model = newModel("resumed")) {
            Checkpoint resume = new Checkpoint(fresh.dir(), true);
            TrainResult r = TrainLoop.train(model, SHAPES, TASK, TrainConfig.of("resumed", 3, 5, 0.01f, 1), null, "", resume);
            assertThat(r.resumedFromEpoch()).isEqualTo(3);
            assertThat(r.steps()).isEqualTo(15);
            assertThat(r.valLoss()).hasSize(4);
            assertThat(r.valLoss().get(3)[0]).isEqualTo(15.0);
            assertThat(r.trainLoss()).hasSize(3);
            assertThat(r.finalValLoss()).isFinite();
            assertThat(r.trainLoss().get(2)[1]).isFinite();
            // Epoch 3 trained the loaded parameters further.
            Map<String, float[]> after = parameters(model);
            assertThat(saved.keySet()).anyMatch(k -> !java.util.Arrays.equals(after.get(k), saved.get(k)));
            assertThat(resume.load(model.getBlock(), model.getNDManager()).epoch()).isEqualTo(3);
        }

        try (Model model = newModel("restart")) {
            TrainResult r = TrainLoop.train(model, SHAPES, TASK, TrainConfig.of("restart", 1, 5, 0.01f, 1), null, "", fresh);
            assertThat(r.resumedFromEpoch()).isZero();
            assertThat(r.steps()).isEqualTo(5);
            assertThat(fresh.load(model.getBlock(), model.getNDManager()).epoch()).isEqualTo(1);
        }
    }
}
