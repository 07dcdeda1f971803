package dlx.theory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pruned language model given as a tree ({@code {"bos": ..., "children": {word: {"logp": x,
 * "children": {...}}}}}): each edge carries log p(w_t | w_0..w_{t-1}); a node without children
 * ends the sentence.
 */
public final class TreeLanguageModel implements LanguageModel {
    private final String bos;
    private final JsonNode root;
    private final List<String> vocabulary;

    private TreeLanguageModel(String bos, JsonNode root) {
        this.bos = bos;
        this.root = root;
        Set<String> words = new LinkedHashSet<>();
        collect(root, words);
        this.vocabulary = List.copyOf(words);
    }

    public static TreeLanguageModel read(InputStream in) throws IOException {
        JsonNode json = new ObjectMapper().readTree(in);
        if (json == null || !json.path("children").isObject()) {
            throw new IOException("the decoding tree must be a JSON object with a 'children' object");
        }
        validate(json, "<root>");
        return new TreeLanguageModel(json.path("bos").asText("<BOS>"), json);
    }

    private static void validate(JsonNode node, String where) throws IOException {
        Iterator<Map.Entry<String, JsonNode>> it = node.path("children").properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode lp = e.getValue().get("logp");
            if (lp == null || !lp.isNumber() || lp.asDouble() > 0) {
                throw new IOException("edge '" + e.getKey() + "' under " + where + " needs a numeric logp <= 0");
            }
            validate(e.getValue(), e.getKey());
        }
    }

    private static void collect(JsonNode node, Set<String> words) {
        Iterator<Map.Entry<String, JsonNode>> it = node.path("children").properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            words.add(e.getKey());
            collect(e.getValue(), words);
        }
    }

    public String bos() {
        return bos;
    }

    @Override
    public List<String> vocabulary() {
        return vocabulary;
    }

    @Override
    public Map<String, Double> nextLogProbs(List<String> prefix) {
        JsonNode node = root;
        for (String w : prefix) {
            node = node.path("children").get(w);
            if (node == null) {
                throw new IllegalArgumentException("prefix " + prefix + " has probability zero under the tree");
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.path("children").properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().get("logp").asDouble());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Depth of the deepest leaf (the sentence length T). */
    public int depth() {
        return depth(root);
    }

    private static int depth(JsonNode node) {
        int d = 0;
        List<JsonNode> kids = new ArrayList<>();
        node.path("children").elements().forEachRemaining(kids::add);
        for (JsonNode k : kids) {
            d = Math.max(d, 1 + depth(k));
        }
        return d;
    }
}
