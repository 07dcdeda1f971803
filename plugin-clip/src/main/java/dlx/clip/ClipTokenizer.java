package dlx.clip;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The model's own {@code tokenizer.json} (CLIP's byte-level BPE for a real export) through DJL's
 * HuggingFace tokenizers, with the special tokens of its post-processor. Every text is truncated
 * to the context length (keeping the end-of-text token last) and padded to it with the pad token
 * ({@code padding.pad_id} of tokenizer.json, else {@code <|endoftext|>} as Hugging Face's CLIP
 * tokenizer pads, else 0); the attention mask marks the real tokens.
 */
public final class ClipTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;
    private final long padId;
    /** CLIP's tokenizer in Java when tokenizer.json has CLIP's layout, else null. */
    private final ClipBpe bpe;

    /** Token ids and attention mask, {@code count x contextLength}. */
    public record Batch(long[][] ids, long[][] mask) {
        public int count() {
            return ids.length;
        }

        /** How many real tokens text {@code i} has (its mask's sum). */
        public int length(int i) {
            int n = 0;
            for (long m : mask[i]) {
                n += (int) m;
            }
            return n;
        }
    }

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, int contextLength, long padId, ClipBpe bpe) {
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.padId = padId;
        this.bpe = bpe;
    }

    public static ClipTokenizer load(Path tokenizerJson, int contextLength) throws IOException {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length " + contextLength + " is too short");
        }
        HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(contextLength)
                .optPadding(false)
                .build();
        try {
            return new ClipTokenizer(hf, contextLength, padId(tokenizerJson), ClipBpe.of(tokenizerJson).orElse(null));
        } catch (IOException | RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    static long padId(Path tokenizerJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
        JsonNode padding = root.path("padding");
        if (padding.has("pad_id")) {
            return padding.get("pad_id").asLong();
        }
        for (JsonNode t : root.path("added_tokens")) {
            if ("<|endoftext|>".equals(t.path("content").asText())) {
                return t.path("id").asLong();
            }
        }
        JsonNode eos = root.path("model").path("vocab").path("<|endoftext|>");
        return eos.isNumber() ? eos.asLong() : 0;
    }

    public int contextLength() {
        return contextLength;
    }

    public long padId() {
        return padId;
    }

    /** The tokens (as strings) of one text, special tokens included, before padding. */
    public List<String> tokens(String text) {
        return List.of(tokenizer.encode(text).getTokens());
    }

    /**
     * The token ids of each text (special tokens added, truncated to the context length): in Java
     * ({@link ClipBpe}) for a tokenizer.json in CLIP's layout, else through the native library.
     */
    private long[][] ids(List<String> texts) {
        long[][] out = new long[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            long[] ids = bpe != null ? bpe.encode(texts.get(i), contextLength) : null;
            out[i] = ids != null ? ids : nativeIds(texts.get(i));
        }
        return out;
    }

    /**
     * The ids of one text from the tokenizers library. Only the ids are fetched: DJL's
     * {@code encode} also copies tokens, offsets, word ids and masks across JNI, which took twice
     * as long as the ids alone (about 40 against 20 µs for a caption). The builder here sets none
     * of the options DJL applies on the Java side before encoding (prefix space, lower case,
     * accents), so the native call sees the text as {@code encode} would.
     */
    long[] nativeIds(String text) {
        TokenizersLibrary lib = TokenizersLibrary.LIB;
        long encoding = lib.encode(tokenizer.getHandle(), text, true);
        try {
            return lib.getTokenIds(encoding);
        } finally {
            lib.deleteEncoding(encoding);
        }
    }

    /** True when texts are tokenised in Java ({@link ClipBpe}), false when by the tokenizers library. */
    boolean inJava() {
        return bpe != null;
    }

    public Batch encode(List<String> texts) {
        long[][] ids = new long[texts.size()][contextLength];
        long[][] mask = new long[texts.size()][contextLength];
        long[][] encoded = ids(texts);
        for (int i = 0; i < texts.size(); i++) {
            long[] tok = encoded[i];
            int n = Math.min(tok.length, contextLength);
            System.arraycopy(tok, 0, ids[i], 0, n);
            if (tok.length > contextLength) {
                // Should the tokenizer not truncate, keep the end-of-text token last, as CLIP expects.
                ids[i][contextLength - 1] = tok[tok.length - 1];
            }
            for (int j = 0; j < contextLength; j++) {
                if (j < n) {
                    mask[i][j] = 1;
                } else {
                    ids[i][j] = padId;
                }
            }
        }
        return new Batch(ids, mask);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
