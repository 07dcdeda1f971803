/** Runs a plugin's experiments in its own tests exactly as the launcher does: {@link dlx.testkit.ExperimentTestKit}. */
module dlx.testkit {
    requires transitive dlx.engine;
    requires com.fasterxml.jackson.databind;
    exports dlx.testkit;
}
