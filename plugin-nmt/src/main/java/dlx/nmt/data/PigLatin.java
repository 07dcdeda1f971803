package dlx.nmt.data;

import java.util.Set;

/**
 * The Pig Latin rules of the course: a word that starts with a vowel gets "way" appended
 * (impress → impressway); otherwise its first letter moves to the end and "ay" is appended
 * (team → eamtay), except that the consonant pairs ch, sh, th, ph, wh and qu move together
 * (shopping → oppingshay). Hyphenated words are translated part by part, sentences word by word.
 */
public final class PigLatin {
    public static final Set<String> PAIRS = Set.of("ch", "sh", "th", "ph", "wh", "qu");

    private PigLatin() { }

    /** Translates a sentence of lower-case words separated by spaces. */
    public static String sentence(String text) {
        String[] words = text.trim().split("\\s+");
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(word(w));
        }
        return out.toString();
    }

    /** Translates one word (a–z, hyphens between parts). */
    public static String word(String word) {
        if (word.indexOf('-') >= 0) {
            String[] parts = word.split("-", -1);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    out.append('-');
                }
                out.append(part(parts[i]));
            }
            return out.toString();
        }
        return part(word);
    }

    private static String part(String w) {
        if (w.isEmpty()) {
            return w;
        }
        if (!w.matches("[a-z]+")) {
            throw new IllegalArgumentException("'" + w + "' is not a lower-case word of a-z");
        }
        if ("aeiou".indexOf(w.charAt(0)) >= 0) {
            return w + "way";
        }
        if (w.length() >= 2 && PAIRS.contains(w.substring(0, 2))) {
            return w.substring(2) + w.substring(0, 2) + "ay";
        }
        return w.substring(1) + w.charAt(0) + "ay";
    }
}
