/** plugin-nmt: attention and sequence models of the NMT course, trained in DJL. */
module dlx.nmt {
    requires dlx.api;
    requires dlx.kit;
    requires ai.djl.api;
    requires com.fasterxml.jackson.databind;

    provides dlx.api.Plugin with dlx.nmt.NmtPlugin;
}
