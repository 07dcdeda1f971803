package dlx.engine.store;

import dlx.api.Params;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's identity, as DVC decides that a stage is unchanged: a digest of what defines the run —
 * the experiment id, every resolved parameter (seed and profile included) and the digests of the
 * code that computes it (plugin jar, experiment kit jar). The same configuration and code give
 * the same id on any machine; any change gives another.
 *
 * <p>The canonical form is UTF-8 text, one {@code name=value} line per item in this order:
 * {@code dlx-run/1}, {@code experiment}, {@code param.<name>} in name order (values as parsed:
 * {@code 0.010} and {@code 0.01} are one value; lists as {@code [a,b]}), {@code code.plugin},
 * {@code code.kit}. The id is the first 12 hex digits of its SHA-256.
 */
public record RunId(String value, String canonicalForm) {
    public static final int LENGTH = 12;

    public static RunId of(String experimentId, Params params, String pluginDigest, String kitDigest) {
        StringBuilder s = new StringBuilder("dlx-run/1\n");
        s.append("experiment=").append(experimentId).append('\n');
        Map<String, Object> sorted = new TreeMap<>(params.asMap());
        sorted.forEach((k, v) -> s.append("param.").append(k).append('=').append(canonical(v)).append('\n'));
        s.append("code.plugin=").append(pluginDigest).append('\n');
        s.append("code.kit=").append(kitDigest).append('\n');
        return new RunId(sha256(s.toString()).substring(0, LENGTH), s.toString());
    }

    static String canonical(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?> list) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                s.append(i > 0 ? "," : "").append(canonical(list.get(i)));
            }
            return s.append(']').toString();
        }
        return v.toString().replace("\n", "\\n");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
