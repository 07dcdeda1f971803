package dlx.launcher;

import com.google.inject.AbstractModule;
import dlx.api.Configuration;
import dlx.api.DataLocations;
import dlx.api.Device;
import dlx.api.DeviceChoice;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Optional;

/** Guice bindings of the platform services that plugins may inject. */
public final class PlatformModule extends AbstractModule {
    private final MeterRegistry registry;
    private final DataLocations data;
    private final Device device;

    public PlatformModule(MeterRegistry registry, DataLocations data, Device device) {
        this.registry = registry;
        this.data = data;
        this.device = device;
    }

    @Override
    protected void configure() {
        bind(MeterRegistry.class).toInstance(registry);
        bind(DataLocations.class).toInstance(data);
        bind(DeviceChoice.class).toInstance(() -> device);
        bind(Configuration.class).toInstance(PlatformModule::lookup);
    }

    /** {@code a.b} from system property {@code dlx.a.b}, else environment variable {@code DLX_A_B}. */
    static Optional<String> lookup(String key) {
        String prop = System.getProperty("dlx." + key);
        if (prop != null) {
            return Optional.of(prop);
        }
        return Optional.ofNullable(System.getenv("DLX_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')));
    }
}
