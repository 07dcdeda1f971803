/** The {@code dlx} command: plugin discovery in module layers, runs, the metrics endpoint. */
module dlx.launcher {
    requires dlx.api;
    requires dlx.kit;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires jdk.httpserver;
    requires com.google.guice;

    uses dlx.api.Plugin;

    opens dlx.launcher.cli to info.picocli;
    opens dlx.launcher to com.google.guice;
    exports dlx.launcher;
}
