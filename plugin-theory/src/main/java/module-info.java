/** plugin-theory: the analytic answers of the theory exercises, each checked numerically. */
module dlx.theory {
    requires dlx.api;
    requires dlx.kit;
    requires com.fasterxml.jackson.databind;
    requires ai.djl.api;
    requires ejml.ddense;
    requires ejml.core;

    provides dlx.api.Plugin with dlx.theory.TheoryPlugin;
}
