package dlx.kit.runtime;

/** Maps result keys (lower camelCase) to Micrometer names that export as Prometheus snake_case. */
public final class MeterNames {
    private MeterNames() { }

    /** {@code trainLoss} becomes {@code dlx.train_loss}, exported as {@code dlx_train_loss}. */
    public static String forKey(String key) {
        StringBuilder s = new StringBuilder("dlx.");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
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
}
