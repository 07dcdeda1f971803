package dlx.launcher;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dlx.api.Configuration;
import dlx.api.DataLocations;
import dlx.engine.config.PlatformConfig;
import dlx.launcher.discovery.PluginDiscovery;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
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

    /**
     * One Prometheus registry per process, with the JVM and process meters bound once. Two of
     * Micrometer's names fail {@code promtool check metrics}' lint: {@code process_cpu_time_ns_total}
     * (an abbreviated unit) is replaced by the conventional {@code process_cpu_seconds_total}, and
     * {@code system_cpu_count} (a {@code _count} suffix on a gauge) becomes {@code system_cpus}.
     */
    @Provides
    @Singleton
    PrometheusMeterRegistry prometheusRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            FunctionCounter.builder("process.cpu.seconds", sun, b -> b.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the process").baseUnit("seconds").register(registry);
        }
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
        return PluginDiscovery.fromPlatformLayer(config.pluginTimeout());
    }
}
