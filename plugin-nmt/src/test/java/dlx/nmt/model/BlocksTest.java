package dlx.nmt.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class BlocksTest {
    @Test
    void positionalEncodingAddsTheTable() {
        try (NDManager m = NDManager.newBaseManager()) {
            PositionalEncoding pe = new PositionalEncoding(10, 4);
            pe.initialize(m, DataType.FLOAT32, new Shape(2, 3, 4));
            NDArray out = pe.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(2, 3, 4))), false)
                    .singletonOrThrow();
            float[] v = out.toFloatArray();
            float[][] t = PositionalEncoding.table(10, 4);
            assertThat((double) v[4 + 2]).isCloseTo(1 + t[1][2], within(1e-6));
            assertThat((double) v[12 + 8 + 1]).isCloseTo(1 + t[2][1], within(1e-6));
        }
    }

    @Test
    void decoderOnlyLmIsCausalAndShapesFit() {
        try (NDManager m = NDManager.newBaseManager()) {
            DecoderOnlyLm lm = new DecoderOnlyLm(11, 16, 4, 2, 8);
            lm.initialize(m, DataType.FLOAT32, new Shape(1, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a = m.create(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 8));
            NDArray b = m.create(new long[] {1, 2, 3, 4, 5, 9, 10, 0}, new Shape(1, 8));
            NDArray la = lm.forward(ps, new NDList(a), false).singletonOrThrow();
            NDArray lb = lm.forward(ps, new NDList(b), false).singletonOrThrow();
            assertThat(la.getShape()).isEqualTo(new Shape(1, 8, 11));
            float[] fa = la.toFloatArray();
            float[] fb = lb.toFloatArray();
            for (int i = 0; i < 5 * 11; i++) {
                assertThat(fb[i]).isCloseTo(fa[i], within(1e-5f));
            }
            boolean changed = false;
            for (int i = 5 * 11; i < 8 * 11; i++) {
                changed |= Math.abs(fb[i] - fa[i]) > 1e-4;
            }
            assertThat(changed).isTrue();
        }
    }

    @Test
    void encoderBlockAttendsBothWaysAndCrossDecoderKeepsShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            TransformerBlock enc = TransformerBlock.encoder(8, 2);
            enc.initialize(m, DataType.FLOAT32, new Shape(1, 5, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 5, 8));
            NDArray y = x.duplicate();
            y.set(new ai.djl.ndarray.index.NDIndex("0, 4"), 5f);
            float[] ex = enc.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] ey = enc.forward(ps, new NDList(y), false).singletonOrThrow().toFloatArray();
            assertThat(Math.abs(ex[0] - ey[0])).isGreaterThan(1e-6f);

            TransformerBlock dec = TransformerBlock.crossDecoder(8, 2);
            dec.initialize(m, DataType.FLOAT32, new Shape(1, 3, 8), new Shape(1, 5, 8));
            NDList out = dec.forward(ps, new NDList(m.randomNormal(new Shape(1, 3, 8)), x), false);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(1, 3, 8));
        }
    }
}
