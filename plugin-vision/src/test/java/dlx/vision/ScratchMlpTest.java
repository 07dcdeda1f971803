package dlx.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dlx.kit.data.FashionMnist;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scratch MLP's layers against finite differences, and the fused training step against the textbook one. */
class ScratchMlpTest {

    /** Random "images" in [0, 1] with about half the pixels exactly zero, like Fashion-MNIST. */
    static FashionMnist.Split randomImages(int n, long seed) {
        Random rng = new Random(seed);
        float[] px = new float[n * FashionMnist.PIXELS];
        int[] labels = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextBoolean() ? 0f : rng.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        return new FashionMnist.Split(px, labels);
    }

    @Test
    void backpropMatchesCentralDifferencesOnAllFourTensors() {
        FashionMnist.Split data = randomImages(16, 1);
        ScratchMlp net = new ScratchMlp(7);
        List<GradientChecker.Entry> entries = GradientChecker.check(net, data.images(), data.labels(), 16, 8, 3);
        assertThat(entries).hasSize(32);
        assertThat(entries).extracting(GradientChecker.Entry::param).contains("W1", "b1", "W2", "b2");
        for (GradientChecker.Entry e : entries) {
            assertThat(e.relErr()).as("%s[%d]: analytic %g numeric %g", e.param(), e.index(), e.analytic(), e.numeric())
                    .isLessThan(1e-4);
        }
        assertThat(entries).anySatisfy(e -> assertThat(Math.abs(e.analytic())).isGreaterThan(1e-3));
    }

    @Test
    void floatLossAgreesWithTheDoublePrecisionReference() {
        FashionMnist.Split data = randomImages(8, 2);
        ScratchMlp net = new ScratchMlp(3);
        double fast = net.lossAndGradient(data.images(), data.labels(), 8);
        assertThat(fast).isCloseTo(net.lossExact(data.images(), data.labels(), 8), within(1e-4));
    }

    @Test
    void fusedSgdStepEqualsTheLayerByLayerStep() {
        for (int batch : new int[] {1, 3, 5, 7, 12}) {
            FashionMnist.Split data = randomImages(batch, batch);
            SparseImages sparse = new SparseImages(data);
            int[] order = new int[batch];
            for (int i = 0; i < batch; i++) {
                order[i] = i;
            }
            ScratchMlp fused = new ScratchMlp(11);
            ScratchMlp plain = new ScratchMlp(11);
            double lossSum = fused.trainBatch(sparse, order, 0, batch, 0.05f, 0f);
            double loss = plain.lossAndGradient(data.images(), data.labels(), batch);
            plain.layer1().sgd(0.05f);
            plain.layer2().sgd(0.05f);
            assertThat(lossSum / batch).isCloseTo(loss, within(1e-5));
            assertSameParameters(fused, plain, 1e-6);
        }
    }

    @Test
    void momentumStepFollowsTheUpdateRule() {
        int batch = 5;
        FashionMnist.Split data = randomImages(2 * batch, 4);
        SparseImages sparse = new SparseImages(data);
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        float lr = 0.05f;
        float alpha = 0.7f;
        ScratchMlp fused = new ScratchMlp(5);
        fused.trainBatch(sparse, order, 0, batch, lr, alpha);
        fused.trainBatch(sparse, order, batch, batch, lr, alpha);
        // Reference: v1 = g1, w1 = w0 - lr g1; v2 = alpha g1 + g2, w2 = w1 - lr v2.
        ScratchMlp ref = new ScratchMlp(5);
        float[][] g1 = gradient(ref, data, 0, batch);
        applyStep(ref, g1, lr);
        float[][] g2 = gradient(ref, data, batch, batch);
        for (int t = 0; t < 4; t++) {
            for (int k = 0; k < g2[t].length; k++) {
                g2[t][k] += alpha * g1[t][k];
            }
        }
        applyStep(ref, g2, lr);
        assertSameParameters(fused, ref, 1e-6);
    }

    private static float[][] gradient(ScratchMlp net, FashionMnist.Split data, int from, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = from + i;
        }
        FashionMnist.Split part = data.subset(idx);
        net.lossAndGradient(part.images(), part.labels(), n);
        float[][] g = new float[4][];
        for (int t = 0; t < 4; t++) {
            g[t] = new float[ScratchMlp.tensorSize(t)];
            for (int k = 0; k < g[t].length; k++) {
                g[t][k] = net.grad(t, k);
            }
        }
        return g;
    }

    private static void applyStep(ScratchMlp net, float[][] v, float lr) {
        for (int t = 0; t < 4; t++) {
            for (int k = 0; k < v[t].length; k++) {
                net.set(t, k, net.get(t, k) - lr * v[t][k]);
            }
        }
    }

    private static void assertSameParameters(ScratchMlp a, ScratchMlp b, double tol) {
        for (int t = 0; t < 4; t++) {
            double maxDiff = 0;
            for (int k = 0; k < ScratchMlp.tensorSize(t); k++) {
                maxDiff = Math.max(maxDiff, Math.abs(a.get(t, k) - b.get(t, k)));
            }
            assertThat(maxDiff).as(ScratchMlp.TENSORS[t]).isLessThan(tol);
        }
    }

    /**
     * The first layer's grouped kernels against the definition computed here example by example:
     * {@code u = b}, then {@code u ← fma(x_i, W[i], u)} over the example's own non-zero pixels in
     * ascending order. Equal bits: the group's extra zero-valued pixels and empty rows add exactly
     * nothing, so neither the grouping nor the kernels (Vector API or plain loops) change a bit.
     */
    @Test
    void groupedForwardEqualsTheExampleByExampleDefinitionBitForBit() {
        FashionMnist.Split data = randomImages(7, 21);
        SparseImages sparse = new SparseImages(data);
        ScratchMlp net = new ScratchMlp(4);
        int[] order = {6, 2, 0, 5, 3, 1, 4};
        PixelGroup group = new PixelGroup();
        float[] u = new float[PixelGroup.SIZE * ScratchMlp.HIDDEN];
        for (FirstLayer kernels : List.of(FirstLayer.BEST, FirstLayer.PLAIN)) {
            for (int start = 0; start < order.length; start += PixelGroup.SIZE) {
                int rows = Math.min(PixelGroup.SIZE, order.length - start);
                group.gather(sparse, order, start, rows);
                kernels.forward(net.l1.w, net.l1.b, group, u, 0);
                for (int r = 0; r < rows; r++) {
                    float[] expected = net.l1.b.clone();
                    for (int i = 0; i < ScratchMlp.IN; i++) {
                        float x = data.images()[order[start + r] * ScratchMlp.IN + i];
                        if (x != 0f) {
                            for (int j = 0; j < ScratchMlp.HIDDEN; j++) {
                                expected[j] = Math.fma(x, net.layer1().weight(i, j), expected[j]);
                            }
                        }
                    }
                    float[] got = java.util.Arrays.copyOfRange(u, r * ScratchMlp.HIDDEN, (r + 1) * ScratchMlp.HIDDEN);
                    assertThat(got).as("example %d (%s)", order[start + r], kernels.describe()).containsExactly(expected);
                }
            }
        }
    }

    /** The configuration key chooses the kernels; the model trained on either has the same bits. */
    @Test
    void theConfigurationChoosesTheKernelsAndEitherTrainsTheSameModel() {
        assertThat(FirstLayer.configured(key -> java.util.Optional.empty())).isSameAs(FirstLayer.BEST);
        assertThat(FirstLayer.configured(key -> java.util.Optional.of(key.equals(FirstLayer.KEY) ? " FALSE" : "")))
                .isSameAs(FirstLayer.PLAIN);
        assertThat(FirstLayer.PLAIN.describe()).isEqualTo("plain Java loops (vision.vector-api=false)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FirstLayer.configured(key -> java.util.Optional.of("no")))
                .hasMessage("vision.vector-api 'no': expected true or false");
        SparseImages sparse = new SparseImages(randomImages(40, 17));
        int[] order = new int[40];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 13) % 40;
        }
        ScratchMlp best = new ScratchMlp(8, FirstLayer.BEST);
        ScratchMlp plain = new ScratchMlp(8, FirstLayer.PLAIN);
        assertThat(plain.kernels()).isEqualTo(FirstLayer.PLAIN.describe());
        for (float momentum : new float[] {0f, 0.9f}) {
            for (int start = 0; start < order.length; start += 12) {
                int n = Math.min(12, order.length - start);
                assertThat(best.trainBatch(sparse, order, start, n, 0.05f, momentum))
                        .isEqualTo(plain.trainBatch(sparse, order, start, n, 0.05f, momentum));
            }
        }
        for (int t = 0; t < ScratchMlp.TENSORS.length; t++) {
            float[] a = new float[ScratchMlp.tensorSize(t)];
            float[] b = new float[a.length];
            for (int k = 0; k < a.length; k++) {
                a[k] = best.get(t, k);
                b[k] = plain.get(t, k);
            }
            assertThat(a).as(ScratchMlp.TENSORS[t]).containsExactly(b); // Float.equals: the same bits
        }
        assertThat(best.evaluate(sparse)).containsExactly(plain.evaluate(sparse));
    }

    @Test
    void aGroupHoldsThePixelsNonZeroInAnyOfItsExamples() {
        FashionMnist.Split data = randomImages(3, 8);
        PixelGroup group = new PixelGroup();
        group.gather(new SparseImages(data), new int[] {2, 0, 1}, 1, 2); // examples 0 and 1
        java.util.List<Integer> expected = new java.util.ArrayList<>();
        for (int i = 0; i < ScratchMlp.IN; i++) {
            if (data.images()[i] != 0f || data.images()[ScratchMlp.IN + i] != 0f) {
                expected.add(i);
            }
        }
        assertThat(group.count).isEqualTo(expected.size());
        for (int p = 0; p < group.count; p++) {
            int i = group.pixel[p];
            assertThat(i).isEqualTo(expected.get(p));
            assertThat(group.value[p * PixelGroup.SIZE]).isEqualTo(data.images()[i]);
            assertThat(group.value[p * PixelGroup.SIZE + 1]).isEqualTo(data.images()[ScratchMlp.IN + i]);
            for (int r = 2; r < PixelGroup.SIZE; r++) {
                assertThat(group.value[p * PixelGroup.SIZE + r]).isZero();
            }
        }
    }

    /** Runs only when the JVM has jdk.incubator.vector (surefire's argLine --add-modules jdk.incubator.vector). */
    @Test
    void vectorApiAndPlainLoopsTrainToTheSameBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FirstLayer.BEST.vectorApi(), "jdk.incubator.vector is not in the boot layer");
        FashionMnist.Split data = randomImages(23, 13);
        SparseImages sparse = new SparseImages(data);
        int[] order = new int[23];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 7) % 23;
        }
        float[] w = new ScratchMlp(3).l1.w;
        float[] b = new ScratchMlp(3).l1.b;
        PixelGroup group = new PixelGroup();
        group.gather(sparse, order, 10, 4);
        float[] vectorU = new float[PixelGroup.SIZE * ScratchMlp.HIDDEN];
        float[] plainU = new float[vectorU.length];
        VectorFirstLayer.forward(w, b, group, vectorU, 0);
        // The plain loops' definition: FirstLayer's scalar branch, spelled out.
        for (int r = 0; r < PixelGroup.SIZE; r++) {
            System.arraycopy(b, 0, plainU, r * ScratchMlp.HIDDEN, ScratchMlp.HIDDEN);
        }
        for (int p = 0; p < group.count; p++) {
            for (int r = 0; r < PixelGroup.SIZE; r++) {
                for (int j = 0; j < ScratchMlp.HIDDEN; j++) {
                    int k = r * ScratchMlp.HIDDEN + j;
                    plainU[k] = Math.fma(group.value[p * PixelGroup.SIZE + r], w[group.pixel[p] * ScratchMlp.HIDDEN + j], plainU[k]);
                }
            }
        }
        assertThat(vectorU).containsExactly(plainU);
        float[] gs = new float[PixelGroup.SIZE * ScratchMlp.HIDDEN];
        java.util.Random rng = new java.util.Random(5);
        for (int k = 0; k < gs.length; k++) {
            gs[k] = (float) rng.nextGaussian() * 0.01f;
        }
        float[] vectorW = w.clone();
        float[] plainW = w.clone();
        VectorFirstLayer.accumulate(vectorW, group, gs, 0);
        for (int p = 0; p < group.count; p++) {
            for (int r = 0; r < PixelGroup.SIZE; r++) {
                for (int j = 0; j < ScratchMlp.HIDDEN; j++) {
                    int o = group.pixel[p] * ScratchMlp.HIDDEN + j;
                    plainW[o] = Math.fma(group.value[p * PixelGroup.SIZE + r], gs[r * ScratchMlp.HIDDEN + j], plainW[o]);
                }
            }
        }
        assertThat(vectorW).containsExactly(plainW);
    }

    /**
     * The output layer's Vector API kernels against its definition written here with the plain
     * loops' operations and order (separate multiply and add, hidden units ascending, outputs
     * ascending): the same bits, with activations that are zero (skipped, ReLU's derivative 0) and
     * one that is infinite (its row alone takes ∞ · g, no NaN leaks into the next row).
     */
    @Test
    void theOutputLayerOnTheVectorApiGivesThePlainLoopsBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FirstLayer.BEST.vectorApi() && VectorOutputLayer.usable(),
                "the Vector API with 16 float lanes (AVX-512)");
        int hidden = ScratchMlp.HIDDEN;
        int out = ScratchMlp.OUT;
        int wide = out + VectorOutputLayer.PAD;
        ScratchMlp net = new ScratchMlp(21);
        float[] w2 = net.l2.w;
        java.util.Random rng = new java.util.Random(17);
        for (float special : new float[] {1.5f, Float.POSITIVE_INFINITY}) {
            float[] h = new float[hidden];
            for (int j = 0; j < hidden; j++) {
                h[j] = j % 3 == 0 ? 0f : (float) Math.abs(rng.nextGaussian());
            }
            h[hidden - 1] = 0.75f; // the last row, added after the vector part
            h[40] = special;
            float[] b2 = java.util.Arrays.copyOf(net.l2.b, wide);
            float[] logits = new float[wide];
            VectorOutputLayer.logits(h, w2, b2, logits, new int[hidden]);
            float[] expected = net.l2.b.clone();
            for (int j = 0; j < hidden; j++) {
                if (h[j] != 0f) {
                    for (int k = 0; k < out; k++) {
                        expected[k] = expected[k] + h[j] * w2[j * out + k];
                    }
                }
            }
            assertThat(java.util.Arrays.copyOf(logits, out)).containsExactly(expected);

            float[] g = new float[wide];
            for (int k = 0; k < out; k++) {
                g[k] = (float) rng.nextGaussian() * 0.1f;
            }
            float[] w2t = new float[out * hidden];
            for (int j = 0; j < hidden; j++) {
                for (int k = 0; k < out; k++) {
                    w2t[k * hidden + j] = w2[j * out + k];
                }
            }
            float[] gw2 = new float[hidden * out + VectorOutputLayer.PAD];
            float[] gb1 = new float[hidden];
            float[] gs = new float[3 * hidden];
            for (int k = 0; k < gw2.length - VectorOutputLayer.PAD; k++) {
                gw2[k] = (float) rng.nextGaussian() * 0.01f;
            }
            float[] expectedGw2 = java.util.Arrays.copyOf(gw2, hidden * out);
            float[] expectedGb1 = new float[hidden];
            float[] expectedGs = new float[hidden];
            float factor = -0.01f;
            VectorOutputLayer.backward(h, g, w2t, gw2, gb1, gs, hidden, factor);
            for (int j = 0; j < hidden; j++) {
                float sum = 0f;
                if (h[j] != 0f) {
                    for (int k = 0; k < out; k++) {
                        expectedGw2[j * out + k] = expectedGw2[j * out + k] + h[j] * g[k];
                        sum = sum + g[k] * w2[j * out + k];
                    }
                }
                expectedGb1[j] = 0f + sum;
                expectedGs[j] = factor * sum;
            }
            assertThat(java.util.Arrays.copyOf(gw2, hidden * out)).as("gw2, h[40] = %s", special).containsExactly(expectedGw2);
            assertThat(gb1).containsExactly(expectedGb1);
            assertThat(java.util.Arrays.copyOfRange(gs, hidden, 2 * hidden)).containsExactly(expectedGs);
            assertThat(java.util.Arrays.copyOf(gs, hidden)).as("rows other than the example's untouched").containsOnly(0f);
        }
    }

    @Test
    void largerBatchesGiveASmallerMeanGradient() throws Exception {
        FashionMnist.Split data = randomImages(500, 9);
        SparseImages sparse = new SparseImages(data);
        ScratchMlp net = new ScratchMlp(1);
        assertThat(MagnitudeChecker.firstLayerGradL1(net, sparse, 5))
                .isGreaterThan(MagnitudeChecker.firstLayerGradL1(net, sparse, 500));
    }

    @Test
    void snapshotAndRestoreRoundTrip() {
        ScratchMlp net = new ScratchMlp(2);
        float[][] s = net.snapshot();
        float before = net.get(0, 1234);
        net.set(0, 1234, 42f);
        net.set(3, 9, 42f);
        net.restore(s);
        assertThat(net.get(0, 1234)).isEqualTo(before);
        assertThat(net.get(3, 9)).isNotEqualTo(42f);
    }

    @Test
    void earlyStoppingPointFromAValidationCurve() {
        double[] val = {0.5, 0.6, 0.65, 0.64, 0.66, 0.65, 0.65, 0.64};
        assertThat(EarlyStoppingExperiment.wouldStop(val, 1)).containsExactly(4, 3);
        assertThat(EarlyStoppingExperiment.wouldStop(val, 2)).containsExactly(7, 5);
        assertThat(EarlyStoppingExperiment.wouldStop(val, 3)).containsExactly(8, 5);
        assertThat(EarlyStoppingExperiment.wouldStop(val, 10)).containsExactly(0, 5);
    }
}
