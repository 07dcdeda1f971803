package dlx.nmt;

import dlx.api.DataSource;
import dlx.kit.data.DataSources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shipped frequency-ranked English word list ({@code english-words.txt}, 22,400 words, most
 * frequent first; source and licence in {@code english-words.LICENSE.txt} beside it).
 */
public final class WordList {
    public static final String RESOURCE = "english-words.txt";
    public static final int SMALL = 3200;
    public static final int LARGE = 22400;

    private WordList() { }

    /**
     * The data sources of a Pig Latin run on the {@code count} most frequent words: the shipped
     * word list and the pairs generated from it (translated, shuffled and split with {@code seed}).
     */
    public static List<DataSource> pigLatinSources(int count, long seed) throws IOException {
        return List.of(DataSources.resource("english-words", NmtPlugin.class, RESOURCE, bytes()),
                DataSource.generated("pig-latin", "the " + count + " most frequent words of english-words translated by "
                        + "dlx.nmt.data.PigLatin, shuffled, split 80/10/10", seed));
    }

    /** The shipped file's bytes (read here: a named module's resources are not open to the kit). */
    static byte[] bytes() throws IOException {
        try (InputStream in = NmtPlugin.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource dlx/nmt/" + RESOURCE + " is missing from the plugin jar");
            }
            return in.readAllBytes();
        }
    }

    /** The {@code count} most frequent words. */
    public static List<String> top(int count) throws IOException {
        List<String> out = new ArrayList<>(count);
        try (InputStream in = NmtPlugin.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource dlx/nmt/" + RESOURCE + " is missing from the plugin jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while (out.size() < count && (line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(line.trim());
                }
            }
        }
        if (out.size() < count) {
            throw new IOException(RESOURCE + " has " + out.size() + " words, " + count + " asked");
        }
        return out;
    }
}
