/**
 * plugin-vision: the Fashion-MNIST studies. A two-layer MLP written without autograd (plain Java
 * over contiguous float arrays, the Vector API where the JVM has it) for the optimisation studies,
 * and the MLP / CNN models of {@code dlx.kit.djl.FashionModels} trained with DJL for the
 * out-of-distribution study.
 */
module dlx.vision {
    requires dlx.api;
    requires dlx.kit;
    requires ai.djl.api;
    requires java.management;
    // The scratch MLP's first-layer kernels use the Vector API when the JVM has the incubator
    // module (the launcher adds it: --add-modules jdk.incubator.vector); otherwise plain loops.
    requires static jdk.incubator.vector;

    provides dlx.api.Plugin with dlx.vision.VisionPlugin;
}
