package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClipTokenizerTest {

    @Test
    void addsStartAndEndTokensPadsAndMasks() throws Exception {
        try (ClipTokenizer tok = ClipTokenizer.load(Fixtures.single().resolve("tokenizer.json"), 16)) {
            assertThat(tok.tokens("A photo of a RED thing."))
                    .containsExactly("<|startoftext|>", "a", "photo", "of", "a", "red", "thing", ".", "<|endoftext|>");
            // The fixture's vocabulary: 22 words, then <|startoftext|> = 22, <|endoftext|> = 23, <unk> = 24.
            assertThat(tok.padId()).isEqualTo(23);
            ClipTokenizer.Batch b = tok.encode(List.of("a red photo", "zebra"));
            assertThat(b.ids()[0]).containsExactly(22, 0, 12, 3, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23);
            assertThat(b.mask()[0]).containsExactly(1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            assertThat(b.ids()[1]).startsWith(22, 24, 23);
            assertThat(b.length(1)).isEqualTo(3);
        }
    }

    @Test
    void clipStyleByteLevelBpeTokenizer() throws Exception {
        // tiny-clip-dual's tokenizer.json is shaped like CLIP's: byte-level BPE with "</w>", RobertaProcessing.
        try (ClipTokenizer tok = ClipTokenizer.load(Fixtures.dual().resolve("tokenizer.json"), 16)) {
            assertThat(tok.tokens("A  photo of a RED thing."))
                    .containsExactly("<|startoftext|>", "a</w>", "photo</w>", "of</w>", "a</w>", "red</w>", "thing</w>",
                            ".</w>", "<|endoftext|>");
            // Words outside the vocabulary fall apart into byte-level pieces.
            assertThat(tok.tokens("zzz!")).containsExactly("<|startoftext|>", "z", "z", "z</w>", "!</w>",
                    "<|endoftext|>");
            // <|startoftext|> and <|endoftext|> are the last two ids, as in CLIP; padding uses <|endoftext|>.
            assertThat(tok.padId()).isEqualTo(572);
            ClipTokenizer.Batch b = tok.encode(List.of("red"));
            assertThat(b.ids()[0]).startsWith(571, 541, 572, 572);
            assertThat(b.length(0)).isEqualTo(3);
        }
    }

    @Test
    void aClipTokenizerConfigBesideTheTokenizerChangesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.copy(Fixtures.dual().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        // As optimum writes it for openai/clip-vit-base-patch32.
        java.nio.file.Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_prefix_space\": false, "
                + "\"bos_token\": \"<|startoftext|>\", \"eos_token\": \"<|endoftext|>\", \"pad_token\": \"<|endoftext|>\", "
                + "\"unk_token\": \"<|endoftext|>\", \"do_lower_case\": true, \"errors\": \"replace\", "
                + "\"model_max_length\": 77, \"tokenizer_class\": \"CLIPTokenizer\"}");
        try (ClipTokenizer tok = ClipTokenizer.load(dir.resolve("tokenizer.json"), 16)) {
            assertThat(tok.tokens("A photo of a RED thing."))
                    .containsExactly("<|startoftext|>", "a</w>", "photo</w>", "of</w>", "a</w>", "red</w>", "thing</w>",
                            ".</w>", "<|endoftext|>");
            ClipTokenizer.Batch b = tok.encode(List.of("red red red red red red red red red red red red red red red red red red"));
            assertThat(b.ids()[0]).hasSize(16).endsWith(541, 572);
        }
    }

    @Test
    void truncatesToTheContextLengthKeepingTheEndToken() throws Exception {
        for (java.nio.file.Path fixture : List.of(Fixtures.single(), Fixtures.dual())) {
            try (ClipTokenizer tok = ClipTokenizer.load(fixture.resolve("tokenizer.json"), 8)) {
                ClipTokenizer.Batch b = tok.encode(List.of("red green blue red green blue red green blue red green blue"));
                long bos = tok.encode(List.of("")).ids()[0][0];
                assertThat(b.ids()[0]).hasSize(8);
                assertThat(b.ids()[0][0]).isEqualTo(bos);
                assertThat(b.ids()[0][7]).isEqualTo(tok.padId());
                assertThat(b.ids()[0][6]).isNotEqualTo(tok.padId());
                assertThat(b.mask()[0]).containsOnly(1);
            }
        }
    }
}
