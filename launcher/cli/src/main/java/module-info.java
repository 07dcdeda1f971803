/**
 * The {@code dlx} command: plugin discovery in module layers, the Guice composition root, the
 * picocli commands and the metrics endpoint. Runs experiments through {@code dlx.engine}; needs
 * neither DJL nor ONNX Runtime (their jars sit in lib/ for the plugins).
 */
module dlx.launcher {
    requires dlx.engine;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires jdk.httpserver;
    requires jdk.management;
    requires jdk.unsupported;                           // the worker JVM handles SIGINT/SIGTERM itself (sun.misc.Signal)
    requires bcrypt;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires com.google.guice;
    requires io.prometheus.metrics.model;                 // sweeps: a run's meters for the Pushgateway
    requires io.prometheus.metrics.exporter.pushgateway;

    uses dlx.api.Plugin;
    uses com.google.inject.Module;

    opens dlx.launcher.cli to info.picocli, com.google.guice;
    opens dlx.launcher to com.google.guice;
    opens dlx.launcher.catalog to com.google.guice;
    opens dlx.launcher.run to com.google.guice;
    opens dlx.launcher.records to com.google.guice;
    opens dlx.launcher.builtin to com.google.guice;
    opens dlx.launcher.sweep to info.picocli;           // the sweep options of dlx run (a picocli mixin)
    exports dlx.launcher;
}
