package dlx.launcher;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dlx.api.Configuration;
import dlx.api.DataLocations;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.discovery.PluginDiscovery;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The launcher's composition root: the configuration, the meter registry, plugin discovery. The
 * catalogue, run planner, orchestrator and commands are created by the same injector from these.
 * Plugins' experiments are created by child injectors of it and may inject {@link Configuration},
 * {@link DataLocations} and {@link MeterRegistry}.
 */
public final class LauncherModule extends AbstractModule {
    private final PlatformConfig config;

    public LauncherModule(PlatformConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(PlatformConfig.class).toInstance(config);
        bind(Configuration.class).toInstance(config);
        bind(DataLocations.class).toInstance(config.dataLocations());
    }

    /** One Prometheus registry per process, with the JVM and process meters bound once. */
    @Provides
    @Singleton
    PrometheusMeterRegistry prometheusRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    @Provides
    MeterRegistry meterRegistry(PrometheusMeterRegistry registry) {
        return registry;
    }

    @Provides
    @Singleton
    PluginDiscovery discovery() {
        return PluginDiscovery.fromPlatformLayer();
    }
}
