package dlx.engine.meters;

import dlx.api.Labels;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;

/** Maps result keys and label names (lower camelCase) to Micrometer names that export as Prometheus snake_case. */
public final class MeterNames {
    private MeterNames() { }

    /** {@code trainLoss} becomes {@code dlx.train_loss}, exported as {@code dlx_train_loss}. */
    public static String forKey(String key) {
        return "dlx." + snake(key);
    }

    /** {@code testSet} becomes {@code test_set}. */
    public static String snake(String name) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    s.append('_');
                }
                s.append(Character.toLowerCase(c));
            } else if (Character.isLetterOrDigit(c)) {
                s.append(c);
            } else {
                s.append('_');
            }
        }
        return s.toString();
    }

    /** A plugin's labels as Micrometer tags with snake_case names. */
    public static List<Tag> tags(Labels labels) {
        List<Tag> tags = new ArrayList<>();
        labels.asMap().forEach((k, v) -> tags.add(Tag.of(snake(k), v)));
        return tags;
    }
}
