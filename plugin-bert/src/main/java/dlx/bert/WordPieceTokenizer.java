package dlx.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT's WordPiece tokenizer from a {@code vocab.txt} alone (one token per line, id = line number),
 * as Hugging Face's BertTokenizer / the BertNormalizer + BertPreTokenizer + WordPiece pipeline of a
 * {@code tokenizer.json}: text cleaning (control characters dropped, whitespace unified), spaces
 * around CJK ideographs, lower-casing and accent stripping as {@code tokenizer_config.json} says
 * ({@code do_lower_case}, default true; {@code strip_accents}, default = lower-casing), split on
 * whitespace and punctuation, then greedy longest-match-first WordPiece with {@code ##}
 * continuations (a word that cannot be covered, or longer than 100 characters, becomes
 * {@code [UNK]}), framed {@code [CLS] ... [SEP]}.
 */
public final class WordPieceTokenizer {
    private static final int MAX_CHARS_PER_WORD = 100;
    private final Map<String, Integer> vocab;
    private final List<String> idToToken;
    private final boolean lowerCase;
    private final boolean stripAccents;
    private final boolean chineseChars;
    private final int unk;
    private final int cls;
    private final int sep;
    private final int pad;

    WordPieceTokenizer(Map<String, Integer> vocab, List<String> idToToken, boolean lowerCase, boolean stripAccents,
                       boolean chineseChars) {
        this.vocab = vocab;
        this.idToToken = idToToken;
        this.lowerCase = lowerCase;
        this.stripAccents = stripAccents;
        this.chineseChars = chineseChars;
        this.unk = require("[UNK]");
        this.cls = require("[CLS]");
        this.sep = require("[SEP]");
        this.pad = vocab.getOrDefault("[PAD]", 0);
    }

    private int require(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the WordPiece vocab.txt has no " + token + " token");
        }
        return id;
    }

    /** Reads {@code vocab.txt} and the casing options of {@code tokenizer_config.json} beside it. */
    public static WordPieceTokenizer load(Path vocabFile) throws IOException {
        Map<String, Integer> vocab = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(vocabFile, StandardCharsets.UTF_8)) {
            String t = line.strip();
            vocab.putIfAbsent(t, ids.size());
            ids.add(t);
        }
        boolean lower = true;
        Boolean strip = null;
        boolean chinese = true;
        Path config = vocabFile.resolveSibling("tokenizer_config.json");
        if (Files.isRegularFile(config)) {
            JsonNode c = new ObjectMapper().readTree(config.toFile());
            lower = c.path("do_lower_case").asBoolean(true);
            if (c.has("strip_accents") && !c.get("strip_accents").isNull()) {
                strip = c.get("strip_accents").asBoolean();
            }
            chinese = c.path("tokenize_chinese_chars").asBoolean(true);
        }
        return new WordPieceTokenizer(vocab, ids, lower, strip == null ? lower : strip, chinese);
    }

    public int padId() {
        return pad;
    }

    public String token(long id) {
        return idToToken.get((int) id);
    }

    /** Ids of {@code [CLS] text [SEP]}. */
    public long[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        ids.add(cls);
        for (String word : preTokenize(normalize(text))) {
            wordPiece(word, ids);
        }
        ids.add(sep);
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }

    private String normalize(String text) {
        StringBuilder s = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                s.append(' ');
            } else if (chineseChars && isChinese(cp)) {
                s.append(' ').appendCodePoint(cp).append(' ');
            } else {
                s.appendCodePoint(cp);
            }
        });
        String out = s.toString();
        if (stripAccents) {
            out = Normalizer.normalize(out, Normalizer.Form.NFD).replaceAll("\\p{Mn}", "");
        }
        if (lowerCase) {
            out = out.toLowerCase(Locale.ROOT);
        }
        return out;
    }

    private static List<String> preTokenize(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || cp == ' ') {
                flush(cur, words);
            } else if (isPunctuation(cp)) {
                flush(cur, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                cur.appendCodePoint(cp);
            }
        }
        flush(cur, words);
        return words;
    }

    private static void flush(StringBuilder cur, List<String> words) {
        if (cur.length() > 0) {
            words.add(cur.toString());
            cur.setLength(0);
        }
    }

    private void wordPiece(String word, List<Integer> out) {
        if (word.codePointCount(0, word.length()) > MAX_CHARS_PER_WORD) {
            out.add(unk);
            return;
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String sub = (start > 0 ? "##" : "") + word.substring(start, end);
                found = vocab.get(sub);
                if (found != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                out.add(unk);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    private static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE || t == Character.SURROGATE
                || t == Character.UNASSIGNED;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION;
    }

    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
