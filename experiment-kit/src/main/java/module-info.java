/**
 * The plugins' toolbox: DJL helpers (devices, engine threads, the Fashion-MNIST models),
 * ONNX Runtime sessions with CUDA fallback, text-input tensors and a protobuf-free .onnx reader,
 * the IDX / Fashion-MNIST reader. Plugins require it; the launcher does not (its jar sits in lib/
 * for the plugins, loaded once).
 */
module dlx.kit {
    requires transitive dlx.api;
    requires java.net.http;
    requires transitive ai.djl.api;
    requires transitive com.microsoft.onnxruntime;

    exports dlx.kit.data;
    exports dlx.kit.djl;
    exports dlx.kit.onnx;
    exports dlx.kit.train;

    // Seeds DJL's engine before every run, called by the platform (RunSeeding).
    provides dlx.api.RunSeeding with dlx.kit.seeding.KitRunSeeding;
}
