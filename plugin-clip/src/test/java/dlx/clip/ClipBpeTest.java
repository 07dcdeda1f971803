package dlx.clip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLIP's tokenizer in Java gives the ids the tokenizers library gives, text by text. */
class ClipBpeTest {
    @TempDir
    Path cache;

    private static final List<String> TEXTS = List.of("a photo of a T-shirt/top.", "a picture of a ankle boot.",
            "a black and white photo of a Sneaker.", "", " ", "PHOTO", "photos of bags, coats & dresses!!",
            "it's a dress; they're shirts, we'll see, I'd say, you've got, I'm sure, don't",
            "  tabs\tand\nnew\r\nlines   and\u00a0no-break\u2003spaces  ", "Café naïve Über ΣΑΣ straße İstanbul",
            "cafe\u0301 (combining accent, NFC makes it one character)", "123 4.5 -6e7 ½ ²", "👗 dress 👢 boot 🧥",
            "裙子 и платье", "a <| half marker", "...!!!???", "trouser".repeat(40),
            "a photo of a pullover ".repeat(20));

    private static List<String> randomTexts(long seed, int count) {
        String[] words = {"a", "photo", "picture", "of", "black", "and", "white", "t-shirt/top", "trouser", "pullover",
                "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle", "boot", "photograph", "whitest", "ofa"};
        String[] glue = {" ", "  ", ".", ", ", "-", "/", "'s ", "'t", "!", "\t", "é", "ß", "9", "42", "ä", "…"};
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + r.nextInt(12);
            for (int k = 0; k < n; k++) {
                String w = words[r.nextInt(words.length)];
                b.append(r.nextInt(5) == 0 ? w.toUpperCase() : w).append(glue[r.nextInt(glue.length)]);
            }
            out.add(b.toString());
        }
        return out;
    }

    private static Path resource(String folder) throws Exception {
        return Path.of(ClipBpeTest.class.getResource("/" + folder + "/tokenizer.json").toURI());
    }

    @Test
    void givesTheIdsOfTheTokenizersLibraryOnTheEmbeddedTokenizer() throws Exception {
        sameIdsAsTheTokenizersLibrary(EmbeddedClip.folder(cache).resolve("tokenizer.json"));
    }

    @Test
    void givesTheIdsOfTheTokenizersLibraryOnTheTinyTestModelsTokenizer() throws Exception {
        sameIdsAsTheTokenizersLibrary(resource("tiny-clip-dual"));
        // a word-level tokenizer.json is not CLIP's layout
        assertThat(ClipBpe.of(resource("tiny-clip-single"))).isEmpty();
    }

    private void sameIdsAsTheTokenizersLibrary(Path json) throws Exception {
        ClipBpe bpe = ClipBpe.of(json).orElseThrow();
        List<String> texts = new ArrayList<>(TEXTS);
        texts.addAll(randomTexts(7, 500));
        for (int context : new int[] {32, 8}) {
            try (ClipTokenizer native_ = ClipTokenizer.load(json, context)) {
                for (String text : texts) {
                    long[] java = bpe.encode(text, context);
                    if (text.contains("<|")) {
                        assertThat(java).as(text).isNull();
                        continue;
                    }
                    assertThat(java).as("'%s' (context %d)", text, context).containsExactly(native_.nativeIds(text));
                }
            }
        }
    }

    @Test
    void theTokenizerUsesItForTheEmbeddedModelAndPadsAsBefore() throws Exception {
        Path json = EmbeddedClip.folder(cache).resolve("tokenizer.json");
        try (ClipTokenizer t = ClipTokenizer.load(json, 32)) {
            assertThat(t.inJava()).isTrue();
            ClipTokenizer.Batch b = t.encode(List.of("a photo of a dress.", "a <| marker goes native"));
            for (int i = 0; i < 2; i++) {
                long[] expected = t.nativeIds(i == 0 ? "a photo of a dress." : "a <| marker goes native");
                assertThat(b.length(i)).isEqualTo(expected.length);
                for (int j = 0; j < 32; j++) {
                    assertThat(b.ids()[i][j]).isEqualTo(j < expected.length ? expected[j] : t.padId());
                }
            }
        }
    }

    @Test
    void leavesOtherLayoutsToTheTokenizersLibrary() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(EmbeddedClip.folder(cache).resolve("tokenizer.json").toFile());
        assertThat(ClipBpe.of(root)).isPresent();
        ObjectNode noLowercase = root.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) noLowercase.with("normalizer").withArray("normalizers")).remove(2);
        assertThat(ClipBpe.of(noLowercase)).isEmpty();
        ObjectNode wordPiece = root.deepCopy();
        wordPiece.with("model").put("type", "WordPiece");
        assertThat(ClipBpe.of(wordPiece)).isEmpty();
        ObjectNode template = root.deepCopy();
        template.with("post_processor").put("type", "TemplateProcessing");
        assertThat(ClipBpe.of(template)).isEmpty();
    }
}
