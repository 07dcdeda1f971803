/**
 * plugin-clip: CLIP run as exported ONNX models (zero-shot classification and caption search),
 * with the model's own tokenizer.json through DJL's HuggingFace tokenizers. The default model
 * folder is the injected configuration's {@code clip.model}.
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
