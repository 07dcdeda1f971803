package dlx.api;

import java.util.List;

/**
 * The service a plugin jar provides ({@code provides dlx.api.Plugin with ...} in its module-info).
 * Instances must be cheap to create: {@code dlx list} instantiates every plugin, and no engine
 * (DJL, ONNX Runtime) may start before an experiment actually runs.
 *
 * <p>A plugin that wants Guice bindings of its own also provides a {@code com.google.inject.Module}
 * as a service of its module; the launcher takes it from that plugin's layer. Only such a plugin
 * requires Guice.
 */
public interface Plugin {

    /** Short, stable name, e.g. {@code theory}. */
    String name();

    /** Plugin version, shown by {@code dlx list}. */
    default String version() {
        String v = getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * The experiment classes this plugin offers. The platform creates them by dependency
     * injection, so they may {@code @jakarta.inject.Inject} platform services
     * ({@link Configuration}, {@link DataLocations}, Micrometer's {@code MeterRegistry} for a
     * plugin that requires Micrometer) and whatever the plugin's own Guice module binds. A class
     * with a public no-argument constructor needs nothing else.
     */
    List<Class<? extends Experiment>> experiments();
}
