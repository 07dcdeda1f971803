package dlx.engine.config;

import dlx.api.Configuration;
import dlx.api.DataLocations;
import dlx.api.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The platform's configuration, read in one place: a key {@code a.b} comes from the system
 * property {@code dlx.a.b}, else the environment variable {@code DLX_A_B}, else its default.
 * Plugins see it as {@link Configuration}; {@code dlx config} prints every key with its source.
 */
public final class PlatformConfig implements Configuration {

    /** A key the platform knows, with its default and meaning. */
    public record Key(String name, String defaultValue, String help) {
        public String property() {
            return "dlx." + name;
        }

        public String variable() {
            return variableOf(name);
        }
    }

    /** The effective value of a key and where it came from ({@code property}, {@code environment}, {@code default}). */
    public record Entry(Key key, String value, String source) { }

    public static final Key HOME = new Key("home", null, "the distribution's folder (set by bin/dlx)");
    public static final Key PLUGINS = new Key("plugins", null, "plugins folder (default: <home>/plugins)");
    public static final Key DATA = new Key("data", null, "data folder searched before the system data sets");
    public static final Key CACHE = new Key("cache", null, "cache for derived data (default: ~/.cache/dlx)");
    public static final Key DEVICE = new Key("device", "auto", "compute device: auto, cpu or gpu");
    public static final Key CLIP_MODEL = new Key("clip.model", null, "folder of a CLIP ONNX export (plugin-clip's default model)");
    public static final Key JAVA_OPTS = new Key("java.opts", "-Xmx8g", "JVM options, read by bin/dlx before Java starts");
    public static final Key PLUGIN_TIMEOUT = new Key("plugin.timeout", "20",
            "seconds a plugin's constructor, Guice module or spec may take before it is reported and skipped");

    public static final Key WORKER = new Key("worker", "true",
            "run experiments in a supervised worker JVM (false: in the dlx process, unprotected)");
    public static final List<Key> KEYS = List.of(HOME, PLUGINS, DATA, CACHE, DEVICE, CLIP_MODEL, JAVA_OPTS, PLUGIN_TIMEOUT, WORKER);

    private final Map<String, String> environment;
    private final Properties properties;

    public PlatformConfig(Map<String, String> environment, Properties properties) {
        this.environment = Map.copyOf(environment);
        this.properties = (Properties) properties.clone();
    }

    /** The process's environment and system properties. */
    public static PlatformConfig fromSystem() {
        return new PlatformConfig(System.getenv(), System.getProperties());
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(entry(key).value());
    }

    public Entry entry(String key) {
        Key known = KEYS.stream().filter(k -> k.name().equals(key)).findFirst()
                .orElse(new Key(key, null, "(plugin setting)"));
        String prop = properties.getProperty(known.property());
        if (prop != null && !prop.isBlank()) {
            return new Entry(known, prop.trim(), "property " + known.property());
        }
        String env = environment.get(known.variable());
        if (env != null && !env.isBlank()) {
            return new Entry(known, env.trim(), "environment " + known.variable());
        }
        return new Entry(known, known.defaultValue(), "default");
    }

    /** Every known key, then any other {@code dlx.*} property or {@code DLX_*} variable that is set. */
    public List<Entry> all() {
        Map<String, Entry> out = new LinkedHashMap<>();
        KEYS.forEach(k -> out.put(k.name(), entry(k.name())));
        Map<String, Entry> others = new TreeMap<>();
        for (String p : properties.stringPropertyNames()) {
            if (p.startsWith("dlx.") && !out.containsKey(p.substring(4))) {
                others.put(p.substring(4), entry(p.substring(4)));
            }
        }
        environment.forEach((name, value) -> {
            if (name.startsWith("DLX_")) {
                String key = name.substring(4).toLowerCase(Locale.ROOT).replace('_', '.');
                if (!out.containsKey(key) && others.values().stream().noneMatch(e -> e.key().variable().equals(name))) {
                    others.put(key, entry(key));
                }
            }
        });
        out.putAll(others);
        return new ArrayList<>(out.values());
    }

    public DataLocations dataLocations() {
        Optional<Path> data = get(DATA.name()).map(Path::of);
        Path cache = get(CACHE.name()).map(Path::of)
                .orElse(Path.of(properties.getProperty("user.home", "."), ".cache", "dlx"));
        return new DataLocations() {
            @Override
            public Optional<Path> userDataDir() {
                return data;
            }

            @Override
            public Path cacheDir() {
                return cache;
            }
        };
    }

    /** How long plugin code that should answer at once may take. */
    public java.time.Duration pluginTimeout() {
        Entry e = entry(PLUGIN_TIMEOUT.name());
        try {
            double seconds = Double.parseDouble(e.value());
            if (seconds > 0 && Double.isFinite(seconds)) {
                return java.time.Duration.ofMillis((long) (seconds * 1000));
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("plugin.timeout '" + e.value() + "' (from " + e.source() + ") must be a positive number of seconds");
    }

    /** The worker key: true or false; another value names the key and where it came from. */
    public boolean worker() {
        Entry e = entry(WORKER.name());
        String v = e.value().trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("worker '" + e.value() + "' (from " + e.source() + ") must be true or false");
    }

    /** The device key parsed; a bad value names the key and where it came from. */
    public Device device() {
        Entry e = entry(DEVICE.name());
        try {
            return Device.parse(e.value());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(ex.getMessage() + " (from " + e.source() + ")");
        }
    }

    static String variableOf(String key) {
        return "DLX_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
