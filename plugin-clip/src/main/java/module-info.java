/**
 * plugin-clip: CLIP run as exported ONNX models (zero-shot classification and caption search),
 * with the model's own tokenizer.json through DJL's HuggingFace tokenizers. The default model
 * folder is the injected configuration's {@code clip.model}, else the embedded fashion-clip
 * (resources under dlx/clip/fashion-clip/, extracted into the cache).
 */
module dlx.clip {
    requires dlx.api;
    requires dlx.kit;
    requires com.microsoft.onnxruntime;
    requires ai.djl.tokenizers;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;

    provides dlx.api.Plugin with dlx.clip.ClipPlugin;
}
