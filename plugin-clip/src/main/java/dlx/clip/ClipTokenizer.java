package dlx.clip;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
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

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, int contextLength, long padId) {
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.padId = padId;
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
        return new ClipTokenizer(hf, contextLength, padId(tokenizerJson));
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

    public Batch encode(List<String> texts) {
        long[][] ids = new long[texts.size()][contextLength];
        long[][] mask = new long[texts.size()][contextLength];
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = tokenizer.encode(texts.get(i));
            long[] tok = e.getIds();
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
