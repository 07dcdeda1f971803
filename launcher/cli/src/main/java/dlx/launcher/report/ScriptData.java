package dlx.launcher.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The report's data files: JavaScript that assigns JSON to a global. Pages load them with
 * {@code <script src>} because Chromium refuses {@code fetch} of a JSON file from {@code file://}.
 * Results hold user text (parameters, answers, errors, logs), so every {@code < > & '} and the JS line
 * separators are written as {@code \\uXXXX} escapes: no value can close a script element or start
 * markup, wherever the text ends up.
 */
final class ScriptData {
    private static final ObjectMapper JSON;

    static {
        // Numbers dominate results (series): Jackson's fast double reader and writer halve the build's CPU time.
        JsonFactory f = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
        f.setCharacterEscapes(new HtmlSafeEscapes());
        JSON = new ObjectMapper(f);
    }

    private ScriptData() { }

    static ObjectMapper json() {
        return JSON;
    }

    /** {@code window.<global> = <data>;} */
    static String assign(String global, JsonNode data) {
        return "window." + global + " = " + text(data) + ";\n";
    }

    /**
     * {@code (window.<map> = window.<map> || {})["<key>"] = <json>;}: several files fill one map.
     * {@code json} must come from this class's mapper (its escapes).
     */
    static String put(String map, String key, String json) {
        return "(window." + map + " = window." + map + " || {})[" + text(JSON.getNodeFactory().textNode(key)) + "] = "
                + json + ";\n";
    }

    static String text(JsonNode data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file through a temp file and a rename, so that a page reloading meanwhile never reads half of it. */
    static void write(Path file, String content) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    static void write(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, content);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        HtmlSafeEscapes() {
            for (char c : new char[] {'<', '>', '&', '\''}) {
                ascii[c] = CharacterEscapes.ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
