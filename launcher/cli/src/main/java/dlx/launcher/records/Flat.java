package dlx.launcher.records;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nested maps as dotted keys ({@code java.version}), lists and leaves as text. */
public final class Flat {
    private Flat() { }

    public static Map<String, String> of(String prefix, Map<String, ?> map) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, prefix, map);
        return out;
    }

    private static void put(Map<String, String> out, String key, Object v) {
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> put(out, key.isEmpty() ? String.valueOf(k) : key + "." + k, x));
        } else if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof Map<?, ?>) && !l.isEmpty()) {
            for (int i = 0; i < l.size(); i++) {
                put(out, key + "[" + i + "]", l.get(i));
            }
        } else {
            out.put(key, TextTable.format(v));
        }
    }
}
