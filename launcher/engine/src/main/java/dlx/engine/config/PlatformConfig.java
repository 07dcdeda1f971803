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
    /** Settings of the kit's ONNX Runtime sessions (read by {@code dlx.kit.onnx.OrtSettings}, recorded with every result). */
    public static final Key ORT_THREADS = new Key("ort.threads", "0",
            "ONNX Runtime intra-op threads of every CPU session (0: ONNX Runtime's default, one per physical core)");
    public static final Key ORT_SPINNING = new Key("ort.spinning", "false",
            "whether ONNX Runtime's pool threads spin between operators (true: faster on an idle machine, starves the caller on a busy one)");
    /** Read by plugin-vision's scratch MLP; both kernels give the same bits, so this only changes the speed. */
    public static final Key VISION_VECTOR_API = new Key("vision.vector-api", "true",
            "the scratch MLP's first layer on the Vector API when the JVM has jdk.incubator.vector (false: plain loops)");
    public static final List<Key> KEYS = List.of(HOME, PLUGINS, DATA, CACHE, DEVICE, CLIP_MODEL, JAVA_OPTS, PLUGIN_TIMEOUT, WORKER,
            ORT_THREADS, ORT_SPINNING, VISION_VECTOR_API);

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
        return flag(WORKER);
    }

    /** The {@link #ORT_THREADS} key: a thread count {@code >= 0}; another value names the key and where it came from. */
    public int ortThreads() {
        Entry e = entry(ORT_THREADS.name());
        try {
            int n = Integer.parseInt(e.value());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(ORT_THREADS.name() + " '" + e.value() + "' (from " + e.source()
                + ") must be a thread count >= 0 (0: ONNX Runtime's default)");
    }

    /** The {@link #ORT_SPINNING} key. */
    public boolean ortSpinning() {
        return flag(ORT_SPINNING);
    }

    /**
     * Parses every typed key, so that a bad value stops a command before it runs anything (exit 2),
     * not in the middle of a batch when a plugin first reads it.
     */
    public void check() {
        device();
        pluginTimeout();
        worker();
        ortThreads();
        ortSpinning();
        flag(VISION_VECTOR_API);
    }

    /** A true/false key; another value names the key and where it came from. */
    private boolean flag(Key key) {
        Entry e = entry(key.name());
        String v = e.value().trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(key.name() + " '" + e.value() + "' (from " + e.source() + ") must be true or false");
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
