/**
 * The dlx plugin SPI: what a plugin offers ({@link dlx.api.Plugin}, {@link dlx.api.Experiment}),
 * what a run receives ({@link dlx.api.RunRequest}) and what it reports ({@link dlx.api.RunReporter}).
 * Depends on nothing but the {@code jakarta.inject} annotations: no Guice, no Micrometer, no DJL.
 */
module dlx.api {
    requires transitive jakarta.inject;
    exports dlx.api;
}
