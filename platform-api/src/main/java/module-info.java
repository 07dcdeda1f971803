/**
 * The dlx plugin SPI: what a plugin offers ({@link dlx.api.Plugin}, {@link dlx.api.Experiment}),
 * what a run receives ({@link dlx.api.RunContext}) and what it produces ({@link dlx.api.ExperimentResult}).
 * Deliberately free of DJL, ONNX Runtime and the launcher.
 */
module dlx.api {
    requires transitive micrometer.core;
    requires transitive com.google.guice;
    exports dlx.api;
}
