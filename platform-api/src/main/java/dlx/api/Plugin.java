package dlx.api;

import com.google.inject.Module;
import java.util.List;

/**
 * The service a plugin jar provides ({@code provides dlx.api.Plugin with ...} in its module-info).
 * Instances must be cheap to create: {@code dlx list} instantiates every plugin, and no engine
 * (DJL, ONNX Runtime) may start before an experiment actually runs.
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
     * The experiment classes this plugin offers. The platform instantiates them with Guice, so
     * they may {@code @jakarta.inject.Inject} platform services ({@link Configuration},
     * {@link DataLocations}, {@link DeviceChoice}, {@code MeterRegistry}) and anything the
     * plugin's own {@link #module()} binds.
     */
    List<Class<? extends Experiment>> experiments();

    /** Guice bindings of the plugin's own services; none by default. */
    default Module module() {
        return binder -> { };
    }
}
