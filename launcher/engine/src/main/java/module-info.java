/**
 * The run engine: runs one experiment as the platform does (validated parameters, the plugin's
 * class loader, every throwable a failed result), records what it reports, writes the result
 * store (result.json, CSVs, rendered plots and tables) and publishes labelled meters. Used by the
 * launcher and, through the test kit, by the plugins' own tests; never by plugins' main code.
 */
module dlx.engine {
    requires transitive dlx.api;
    requires transitive micrometer.core;
    requires com.fasterxml.jackson.databind;
    requires org.knowm.xchart;
    requires java.desktop;
    requires jdk.management;       // Machine: HotSpot's vector flags for dlx bench

    uses dlx.api.RunSeeding;

    exports dlx.engine;
    exports dlx.engine.output;
    exports dlx.engine.meters;
    exports dlx.engine.config;
    exports dlx.engine.store;
}
