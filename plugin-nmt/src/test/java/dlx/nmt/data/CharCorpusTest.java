package dlx.nmt.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dlx.nmt.train.Batch;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CharCorpusTest {
    @Test
    void encodesSplitsAndShiftsLabelsByOne() {
        CharCorpus c = new CharCorpus("abcabcabcabcabcabcabcabcabcabc", 0.9);
        assertThat(c.vocabSize()).isEqualTo(3);
        assertThat(c.decode(c.encode("cab"))).isEqualTo("cab");
        assertThat(c.trainLength()).isEqualTo(27);
        try (NDManager m = NDManager.newBaseManager()) {
            Batch b = c.batches(4, 2, 1, 1).train(m, new Random(3));
            long[] x = b.inputs().get(0).toLongArray();
            long[] y = b.labels().toLongArray();
            for (int i = 0; i < 4; i++) {
                assertThat(y[i]).isEqualTo((x[i] + 1) % 3);
            }
            assertThat(b.tokens()).isEqualTo(8);
        }
    }
}
