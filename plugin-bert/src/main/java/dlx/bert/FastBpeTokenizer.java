package dlx.bert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BERTweet's tokenizer, for which no {@code tokenizer.json} exists: a fairseq dictionary
 * ({@code vocab.txt}: one {@code token count} per line; ids {@code <s>}=0, {@code <pad>}=1,
 * {@code </s>}=2, {@code <unk>}=3, the file's tokens from 4, {@code <mask>} last) and fastBPE merges
 * ({@code bpe.codes}: {@code left right count}, ranked by line). Words are split on whitespace; each
 * word is merged pair by pair, lowest rank first, with {@code </w>} marking its end; every piece
 * but the last carries the {@code @@} continuation mark; unknown pieces become {@code <unk>}; a
 * text is framed {@code <s> ... </s>} and a pair {@code <s> a </s></s> b </s>}. Optional tweet
 * normalisation as BERTweet was trained with: user mentions to {@code @USER}, links to
 * {@code HTTPURL}, emoji to their names ({@code :face_with_tears_of_joy:}), and the punctuation and
 * contraction rules of BERTweet's {@code normalizeTweet}.
 */
public final class FastBpeTokenizer {
    public static final int BOS = 0;
    public static final int PAD = 1;
    public static final int EOS = 2;
    public static final int UNK = 3;
    private static final Pattern TWEET_TOKEN = Pattern.compile(
            "https?://\\S+|www\\.\\S+|@\\w+|#\\w+|[\\p{L}\\p{N}_]+(?:['’][\\p{L}]+)*|\\.{2,}|\\S");

    private final Map<String, Integer> vocab;
    private final List<String> idToToken;
    private final Map<String, Integer> ranks;
    private final boolean normalize;
    private final Map<String, List<String>> cache = new HashMap<>();

    FastBpeTokenizer(Map<String, Integer> vocab, List<String> idToToken, Map<String, Integer> ranks, boolean normalize) {
        this.vocab = vocab;
        this.idToToken = idToToken;
        this.ranks = ranks;
        this.normalize = normalize;
    }

    /** Reads {@code vocab.txt} and {@code bpe.codes} of a folder. */
    public static FastBpeTokenizer load(Path vocabFile, Path codesFile, boolean normalize) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(List.of("<s>", "<pad>", "</s>", "<unk>"));
        for (int i = 0; i < ids.size(); i++) {
            vocab.put(ids.get(i), i);
        }
        for (String line : Files.readAllLines(vocabFile, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            int sp = t.lastIndexOf(' ');
            String token = sp < 0 ? t : t.substring(0, sp);
            if (!vocab.containsKey(token)) {
                vocab.put(token, ids.size());
                ids.add(token);
            }
        }
        vocab.put("<mask>", ids.size());
        ids.add("<mask>");
        Map<String, Integer> ranks = new HashMap<>();
        int rank = 0;
        for (String line : Files.readAllLines(codesFile, StandardCharsets.UTF_8)) {
            String[] p = line.strip().split(" ");
            if (p.length >= 2) {
                ranks.putIfAbsent(p[0] + " " + p[1], rank++);
            }
        }
        return new FastBpeTokenizer(vocab, ids, ranks, normalize);
    }

    public int vocabularySize() {
        return idToToken.size();
    }

    /** The BPE pieces of a text (after normalisation when enabled), without framing. */
    public List<String> pieces(String text) {
        String t = normalize ? normalizeTweet(text) : text;
        List<String> out = new ArrayList<>();
        for (String word : t.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                out.addAll(cache.computeIfAbsent(word, this::bpe));
            }
        }
        return out;
    }

    /** Ids of {@code <s> text </s>}. */
    public long[] encode(String text) {
        List<String> pieces = pieces(text);
        long[] ids = new long[pieces.size() + 2];
        ids[0] = BOS;
        for (int i = 0; i < pieces.size(); i++) {
            ids[i + 1] = vocab.getOrDefault(pieces.get(i), UNK);
        }
        ids[ids.length - 1] = EOS;
        return ids;
    }

    /** Ids of {@code <s> a </s></s> b </s>}. */
    public long[] encodePair(String a, String b) {
        long[] x = encode(a);
        long[] y = encode(b);
        long[] out = new long[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        y[0] = EOS;
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    public String token(long id) {
        return idToToken.get((int) id);
    }

    private List<String> bpe(String word) {
        List<String> symbols = new ArrayList<>();
        int[] cps = word.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            String s = new String(cps, i, 1);
            symbols.add(i == cps.length - 1 ? s + "</w>" : s);
        }
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String best = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer r = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = symbols.get(i) + " " + symbols.get(i + 1);
                }
            }
            if (best == null) {
                break;
            }
            String first = best.substring(0, best.indexOf(' '));
            String second = best.substring(best.indexOf(' ') + 1);
            List<String> merged = new ArrayList<>();
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(first) && symbols.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < symbols.size(); i++) {
            String s = symbols.get(i);
            if (i == symbols.size() - 1) {
                out.add(s.endsWith("</w>") ? s.substring(0, s.length() - 4) : s);
            } else {
                out.add(s + "@@");
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    /** BERTweet's tweet normalisation. */
    public static String normalizeTweet(String tweet) {
        String t = tweet.replace("’", "'").replace("…", "...");
        List<String> tokens = new ArrayList<>();
        Matcher m = TWEET_TOKEN.matcher(t);
        while (m.find()) {
            tokens.add(normalizeToken(m.group()));
        }
        String n = " " + String.join(" ", tokens) + " ";
        n = n.replace("cannot ", "can not ").replace("n't ", " n't ").replace("n 't ", " n't ")
                .replace("ca n't", "can't").replace("ai n't", "ain't");
        n = n.replace("'m ", " 'm ").replace("'re ", " 're ").replace("'s ", " 's ").replace("'ll ", " 'll ")
                .replace("'d ", " 'd ").replace("'ve ", " 've ");
        n = n.replace(" p . m .", "  p.m.").replace(" p . m ", " p.m ").replace(" a . m .", " a.m.")
                .replace(" a . m ", " a.m ");
        return String.join(" ", n.trim().split("\\s+"));
    }

    static String normalizeToken(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        if (token.startsWith("@") && token.length() > 1) {
            return "@USER";
        }
        if (lower.startsWith("http") || lower.startsWith("www")) {
            return "HTTPURL";
        }
        if (token.codePointCount(0, token.length()) == 1) {
            int cp = token.codePointAt(0);
            if (isEmoji(cp)) {
                String name = Character.getName(cp);
                if (name != null) {
                    return ":" + name.toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_') + ":";
                }
            }
        }
        return token;
    }

    private static boolean isEmoji(int cp) {
        return (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x1F000 && cp <= 0x1F2FF);
    }
}
