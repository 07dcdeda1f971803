package dlx.nmt.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dlx.nmt.WordList;
import dlx.nmt.train.Batch;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PigLatinTest {
    @Test
    void catalogueExamples() {
        assertThat(PigLatin.word("team")).isEqualTo("eamtay");
        assertThat(PigLatin.word("impress")).isEqualTo("impressway");
        assertThat(PigLatin.word("shopping")).isEqualTo("oppingshay");
        assertThat(PigLatin.sentence("i went shopping")).isEqualTo("iway entway oppingshay");
        assertThat(PigLatin.word("air-conditioning")).isEqualTo("airway-onditioningcay");
        assertThat(PigLatin.sentence("the air conditioning is working"))
                .isEqualTo("ethay airway onditioningcay isway orkingway");
    }

    @Test
    void wordListIsTheFrequencyRankedPackageList() throws Exception {
        List<String> large = WordList.top(WordList.LARGE);
        assertThat(large).hasSize(22400).doesNotHaveDuplicates();
        assertThat(large.subList(0, 4)).containsExactly("you", "the", "to", "a");
        assertThat(large).allMatch(w -> w.matches("[a-z]+(-[a-z]+)*"));
        assertThat(WordList.top(WordList.SMALL)).isEqualTo(large.subList(0, 3200));
    }

    @Test
    void splitsAreDisjointAndDeterministic() throws Exception {
        List<String> words = WordList.top(WordList.SMALL);
        PigLatinData a = new PigLatinData(words, 5);
        PigLatinData b = new PigLatinData(words, 5);
        assertThat(a.test()).isEqualTo(b.test());
        assertThat(a.train().size() + a.validation().size() + a.test().size()).isEqualTo(3200);
        Set<String> train = new HashSet<>();
        a.train().forEach(p -> train.add(p.source()));
        assertThat(a.test()).noneMatch(p -> train.contains(p.source()));
        assertThat(a.validation()).noneMatch(p -> train.contains(p.source()));
    }

    @Test
    void decoderOnlySequenceConstruction() {
        // <SOS> t e a m <EOP> e a m t a y  ->  t e a m <EOP> e a m t a y <EOS>
        int[] in = PigLatinData.decoderOnlyInput("team", "eamtay");
        int[] lab = PigLatinData.decoderOnlyLabels("team", "eamtay");
        float[] mask = PigLatinData.decoderOnlyMask("team", "eamtay");
        assertThat(in).hasSize(12);
        assertThat(in[0]).isEqualTo(PigLatinData.SOS);
        assertThat(in[5]).isEqualTo(PigLatinData.EOP);
        assertThat(PigLatinData.text(java.util.Arrays.copyOfRange(in, 1, 5))).isEqualTo("team");
        assertThat(PigLatinData.text(java.util.Arrays.copyOfRange(in, 6, 12))).isEqualTo("eamtay");
        assertThat(PigLatinData.text(java.util.Arrays.copyOfRange(lab, 0, 4))).isEqualTo("team");
        assertThat(lab[4]).isEqualTo(PigLatinData.EOP);
        assertThat(PigLatinData.text(java.util.Arrays.copyOfRange(lab, 5, 11))).isEqualTo("eamtay");
        assertThat(lab[11]).isEqualTo(PigLatinData.EOS);
        assertThat(mask).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1);
        assertThat(PigLatinData.decoderOnlyPrompt("team")).containsExactly(java.util.Arrays.copyOfRange(in, 0, 6));
    }

    @Test
    void batchesHoldOneLengthGroup() throws Exception {
        PigLatinData data = new PigLatinData(WordList.top(WordList.SMALL), 1);
        Map<String, List<PigLatinData.Pair>> groups = PigLatinData.groups(data.train());
        assertThat(groups.values()).allMatch(g -> g.stream().map(p -> p.source().length() * 100 + p.target().length())
                .distinct().count() == 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Batch enc = data.batches(PigLatinData.Layout.ENCODER_DECODER, 32).train(m, new Random(2));
            long s = enc.inputs().get(0).getShape().get(1);
            long t1 = enc.inputs().get(1).getShape().get(1);
            assertThat(enc.labels().getShape().get(1)).isEqualTo(t1);
            assertThat(t1 - 1).isBetween(s + 2, s + 3);
            Batch dec = data.batches(PigLatinData.Layout.DECODER_ONLY, 32).train(m, new Random(2));
            assertThat(dec.mask().getShape()).isEqualTo(dec.labels().getShape());
            long validationPairs = 0;
            for (Batch b : data.batches(PigLatinData.Layout.DECODER_ONLY, 32).validation(m)) {
                validationPairs += b.labels().getShape().get(0);
            }
            assertThat(validationPairs).isEqualTo(data.validation().size());
        }
    }

    /**
     * Ten three-letter words that start with a consonant: 8 train pairs of lengths (3, 5), one group, so a
     * batch of 64 holds all 8 pairs of 3 + 5 + 2 = 10 decoder-only tokens (3 + 5 + 1 encoder–decoder tokens).
     */
    @Test
    void expectedTokensPerBatchByHand() {
        List<String> words = List.of("cat", "dog", "pen", "hat", "bus", "cup", "map", "net", "pot", "sun");
        PigLatinData data = new PigLatinData(words, 1);
        assertThat(data.train()).hasSize(8);
        assertThat(data.expectedPerBatch(64, PigLatinData.Layout.DECODER_ONLY::tokens)).isEqualTo(80.0);
        assertThat(data.expectedPerBatch(64, PigLatinData.Layout.ENCODER_DECODER::tokens)).isEqualTo(72.0);
        assertThat(data.expectedPerBatch(5, PigLatinData.Layout.DECODER_ONLY::tokens)).isEqualTo(50.0);
    }

    /** The expectation against the mean of 4,000 batches drawn as training draws them (standard error ≈ 0.5 %). */
    @Test
    void expectedTokensPerBatchMatchesTheBatchesDrawn() throws Exception {
        PigLatinData data = new PigLatinData(WordList.top(WordList.LARGE), 42);
        var source = data.batches(PigLatinData.Layout.DECODER_ONLY, 64);
        Random random = new Random(3);
        double sum = 0;
        int n = 4000;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int i = 0; i < n; i++) {
                try (NDManager sub = m.newSubManager()) {
                    sum += source.train(sub, random).tokens();
                }
            }
        }
        double expected = data.expectedPerBatch(64, PigLatinData.Layout.DECODER_ONLY::tokens);
        assertThat(sum / n).isCloseTo(expected, org.assertj.core.api.Assertions.within(expected * 0.02));
    }
}
