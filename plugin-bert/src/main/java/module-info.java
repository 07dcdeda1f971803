/**
 * plugin-bert: BERT-family encoders exported to ONNX, run with ONNX Runtime (frozen features)
 * and imported into DJL (fine-tuning), on the verbal-arithmetic task.
 */
module dlx.bert {
    requires dlx.api;
    requires dlx.kit;
    requires ai.djl.api;
    requires com.microsoft.onnxruntime;
    requires ai.djl.tokenizers;
    requires com.fasterxml.jackson.databind;

    provides dlx.api.Plugin with dlx.bert.BertPlugin;
}
