package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dlx.kit.djl.FashionModels;
import org.junit.jupiter.api.Test;

/** Parameter counts of the three DJL models, read from the built blocks, against the arithmetic of their layer shapes. */
class ModelParamsTest {

    static long dense(long in, long out) {
        return in * out + out;
    }

    static long conv(long kh, long kw, long inChannels, long filters) {
        return kh * kw * inChannels * filters + filters;
    }

    static long built(Block block) {
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, FashionModels.INPUT_SHAPE);
            return OodExperiment.parameterCount(block);
        }
    }

    @Test
    void countsFromTheBuiltModelsMatchTheLayerShapes() {
        long mlp = dense(28 * 28, 128) + dense(128, 10);
        // 28 -> 7x7 conv (valid) -> 22 -> 2x2 pool -> 11
        long cnn2 = conv(7, 7, 1, 64) + dense(11 * 11 * 64, 10);
        // 11 -> 2x2 conv -> 10 -> 2x2 pool -> 5
        long cnn3 = conv(7, 7, 1, 64) + conv(2, 2, 64, 128) + dense(5 * 5 * 128, 10);
        assertThat(mlp).isEqualTo(101_770);
        assertThat(cnn2).isEqualTo(80_650);
        assertThat(cnn3).isEqualTo(68_106);
        assertThat(built(FashionModels.mlp())).isEqualTo(mlp);
        assertThat(built(FashionModels.cnn2())).isEqualTo(cnn2);
        assertThat(built(FashionModels.cnn3())).isEqualTo(cnn3);
        assertThat(new ScratchMlp(0).parameterCount()).isEqualTo(mlp);
    }
}
