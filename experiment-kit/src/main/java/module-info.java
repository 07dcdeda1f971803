/**
 * What plugins share and the platform runs them with: the run engine and result store
 * ({@code dlx.kit.runtime}), plots, data readers (IDX / Fashion-MNIST), DJL training helpers and
 * ONNX Runtime session helpers. Lives in the launcher's lib/ (boot layer).
 */
module dlx.kit {
    requires transitive dlx.api;
    requires transitive org.knowm.xchart;
    requires transitive java.desktop;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires transitive ai.djl.api;
    requires transitive com.microsoft.onnxruntime;

    exports dlx.kit.runtime;
    exports dlx.kit.plot;
    exports dlx.kit.data;
    exports dlx.kit.djl;
    exports dlx.kit.onnx;
}
