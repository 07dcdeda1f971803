package dlx.api;

import java.util.Locale;

/** The compute device a user asks for. {@code AUTO} takes a GPU when one works, else the CPU. */
public enum Device {
    AUTO, CPU, GPU;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Device parse(String text) {
        for (Device d : values()) {
            if (d.id().equalsIgnoreCase(text.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("device '" + text + "' is not one of auto, cpu, gpu");
    }
}
