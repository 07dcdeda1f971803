package dlx.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** What the tokenizer and config files of an export say beyond the tokens: padding id, tweet normalisation, family. */
final class TokenizerFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** config.json model types that number positions after the padding index, as RoBERTa does. */
    private static final Set<String> ROBERTA_FAMILY = Set.of("roberta", "xlm-roberta", "bertweet", "camembert");

    private TokenizerFiles() { }

    /** The padding id of a tokenizer.json: its padding section, else the id of [PAD] or &lt;pad&gt;, else 0. */
    static long padId(Path tokenizerJson) throws IOException {
        JsonNode root = JSON.readTree(tokenizerJson.toFile());
        JsonNode padding = root.path("padding");
        if (padding.has("pad_id")) {
            return padding.get("pad_id").asLong();
        }
        JsonNode vocab = root.path("model").path("vocab");
        for (String pad : new String[] {"[PAD]", "<pad>"}) {
            if (vocab.has(pad)) {
                return vocab.get(pad).asLong();
            }
        }
        for (JsonNode added : root.path("added_tokens")) {
            String c = added.path("content").asText();
            if (c.equals("[PAD]") || c.equals("<pad>")) {
                return added.path("id").asLong();
            }
        }
        return 0;
    }

    /** BERTweet's {@code "normalization": true} in tokenizer_config.json. */
    static boolean tweetNormalization(Path folder) throws IOException {
        Path config = folder.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(config)) {
            return false;
        }
        return JSON.readTree(config.toFile()).path("normalization").asBoolean(false);
    }

    /** True when config.json's {@code model_type} is one of the RoBERTa family (positions start after the padding index). */
    static boolean robertaFamily(Path folder) throws IOException {
        Path config = folder.resolve("config.json");
        return Files.isRegularFile(config) && ROBERTA_FAMILY.contains(JSON.readTree(config.toFile()).path("model_type").asText());
    }
}
