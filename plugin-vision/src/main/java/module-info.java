/**
 * plugin-vision: the Fashion-MNIST studies. A two-layer MLP written without autograd (plain Java
 * over contiguous float arrays) for the optimisation studies, and the MLP / CNN models of
 * {@code dlx.kit.djl.FashionModels} trained with DJL for the out-of-distribution study.
 */
module dlx.vision {
    requires dlx.api;
    requires dlx.kit;
    requires ai.djl.api;
    requires java.management;

    provides dlx.api.Plugin with dlx.vision.VisionPlugin;
}
