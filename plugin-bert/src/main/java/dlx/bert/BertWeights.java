package dlx.bert;

import dlx.kit.onnx.OnnxModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights of an exported BERT-layout encoder, placed under Hugging Face parameter names by
 * following the ONNX graph. Named initializers ({@code encoder.layer.0.attention.self.query.bias})
 * are taken by name (any {@code bert.}-style prefix dropped). Anonymous MatMul weights
 * ({@code onnx::MatMul_787}) are placed by the graph: the MatMul's result is consumed by an Add
 * whose other input is a named {@code ...bias}, so the weight is that layer's {@code ...weight}; else
 * the node's scope name ({@code /encoder/layer.0/attention/self/query/MatMul}) names the layer.
 * Linear weights are stored as {@code [in, out]} (the MatMul layout). The number of attention heads
 * comes from the scale constant before the attention softmax (1/sqrt(head size)), or config.json.
 */
public final class BertWeights {
    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
    static final List<String> LAYER_TENSORS = List.of(
            "attention.self.query.weight", "attention.self.query.bias",
            "attention.self.key.weight", "attention.self.key.bias",
            "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias",
            "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
            "intermediate.dense.weight", "intermediate.dense.bias",
            "output.dense.weight", "output.dense.bias",
            "output.LayerNorm.weight", "output.LayerNorm.bias");

    /** A placed tensor: its values and shape (linear weights as [in, out]). */
    public record Param(float[] values, long[] shape) { }

    private final Map<String, Param> params;
    private final int layers;
    private final int hidden;
    private final int heads;
    private final float layerNormEps;
    private final long robertaPaddingIdx;

    private BertWeights(Map<String, Param> params, int layers, int hidden, int heads, float layerNormEps,
                        long robertaPaddingIdx) {
        this.params = params;
        this.layers = layers;
        this.hidden = hidden;
        this.heads = heads;
        this.layerNormEps = layerNormEps;
        this.robertaPaddingIdx = robertaPaddingIdx;
    }

    /**
     * RoBERTa layout (BERTweet): positions start after the padding index and follow the non-padding
     * tokens; recognised by the CumSum of Hugging Face's create_position_ids_from_input_ids in the
     * graph. The padding index, or -1 for BERT layout (positions from 0).
     */
    public long robertaPaddingIdx() { return robertaPaddingIdx; }
    public String layout() { return robertaPaddingIdx >= 0 ? "RoBERTa" : "BERT"; }

    public Map<String, Param> params() { return params; }
    public int layers() { return layers; }
    public int hidden() { return hidden; }
    public int heads() { return heads; }
    public float layerNormEps() { return layerNormEps; }
    public boolean hasTokenTypes() { return params.containsKey("embeddings.token_type_embeddings.weight"); }

    public long parameterCount() {
        long n = 0;
        for (Param p : params.values()) {
            n += p.values().length;
        }
        return n;
    }

    /** Reads and places the weights of {@code folder}'s model; the error lists what could not be placed. */
    public static BertWeights load(EncoderFolder folder) throws IOException {
        OnnxModelFile file = OnnxModelFile.read(folder.model());
        Map<String, OnnxModelFile.Tensor> inits = file.initializers();
        Map<String, List<OnnxModelFile.Node>> consumers = new HashMap<>();
        for (OnnxModelFile.Node n : file.nodes()) {
            for (String in : n.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        Map<String, Param> placed = new TreeMap<>();
        Set<String> used = new HashSet<>();
        Set<String> matmulWeights = new HashSet<>();
        // 1. anonymous (or named) MatMul weights, placed by the graph
        for (OnnxModelFile.Node n : file.nodes()) {
            if (!n.opType().equals("MatMul") || n.inputs().size() != 2) {
                continue;
            }
            OnnxModelFile.Tensor w = inits.get(n.inputs().get(1));
            if (w == null || w.dims().length != 2 || w.floats() == null) {
                continue;
            }
            matmulWeights.add(w.name());
            String layer = null;
            for (OnnxModelFile.Node c : consumers.getOrDefault(n.outputs().get(0), List.of())) {
                if (c.opType().equals("Add")) {
                    for (String in : c.inputs()) {
                        if (inits.containsKey(in) && in.endsWith(".bias")) {
                            layer = hfName(in.substring(0, in.length() - ".bias".length()));
                        }
                    }
                }
            }
            if (layer == null && n.name().endsWith("/MatMul")) {
                layer = hfName(n.name().substring(1, n.name().length() - "/MatMul".length()).replace('/', '.'));
            }
            if (layer != null) {
                placed.put(layer + ".weight", new Param(w.floats(), w.dims()));
                used.add(w.name());
            }
        }
        // 2. named initializers
        for (OnnxModelFile.Tensor t : inits.values()) {
            if (used.contains(t.name()) || t.floats() == null || matmulWeights.contains(t.name())) {
                continue;
            }
            String name = hfName(t.name());
            if (name == null) {
                continue;
            }
            boolean linear = name.endsWith(".weight") && t.dims().length == 2 && !name.startsWith("embeddings.");
            if (linear) {
                // PyTorch Linear layout [out, in] -> [in, out]
                placed.put(name, new Param(transpose(t.floats(), (int) t.dims()[0], (int) t.dims()[1]),
                        new long[] {t.dims()[1], t.dims()[0]}));
            } else {
                placed.put(name, new Param(t.floats(), t.dims()));
            }
            used.add(t.name());
        }
        int layers = 0;
        for (String name : placed.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.lookingAt()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        List<String> required = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int l = 0; l < layers; l++) {
            for (String t : LAYER_TENSORS) {
                required.add("encoder.layer." + l + "." + t);
            }
        }
        List<String> missing = required.stream().filter(r -> !placed.containsKey(r)).toList();
        List<String> unplaced = new ArrayList<>();
        for (OnnxModelFile.Tensor t : inits.values()) {
            if (t.floats() != null && t.size() > 1 && !used.contains(t.name())) {
                unplaced.add(t.name() + java.util.Arrays.toString(t.dims()));
            }
        }
        if (layers == 0 || !missing.isEmpty()) {
            throw new IllegalArgumentException("the weights of " + folder.model() + " could not be mapped to a BERT encoder: "
                    + (layers == 0 ? "no encoder.layer.N tensors found; " : "")
                    + (missing.isEmpty() ? "" : "missing " + missing + "; ")
                    + "initializers that could not be placed: " + (unplaced.isEmpty() ? "none" : unplaced));
        }
        int hidden = (int) placed.get("embeddings.word_embeddings.weight").shape()[1];
        int heads = heads(file, inits, hidden, folder.dir());
        Map<String, Param> ordered = new LinkedHashMap<>();
        for (String r : required) {
            ordered.put(r, placed.get(r));
        }
        if (placed.containsKey("embeddings.token_type_embeddings.weight")) {
            ordered.put("embeddings.token_type_embeddings.weight", placed.get("embeddings.token_type_embeddings.weight"));
        }
        boolean roberta = file.nodes().stream().anyMatch(n -> n.opType().equals("CumSum"));
        long paddingIdx = roberta ? padTokenId(folder.dir()) : -1;
        return new BertWeights(ordered, layers, hidden, heads, layerNormEps(file, inits), paddingIdx);
    }

    private static long padTokenId(Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        if (Files.isRegularFile(config)) {
            Matcher m = Pattern.compile("\"pad_token_id\"\\s*:\\s*(\\d+)").matcher(Files.readString(config));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return 1;
    }

    /** The Hugging Face name: from "embeddings." or "encoder." on (a "bert."/"roberta." prefix dropped). */
    static String hfName(String name) {
        for (String root : List.of("embeddings.", "encoder.")) {
            int i = name.indexOf(root);
            if (i == 0 || (i > 0 && name.charAt(i - 1) == '.')) {
                return name.substring(i);
            }
        }
        return null;
    }

    private static int heads(OnnxModelFile file, Map<String, OnnxModelFile.Tensor> inits, int hidden, Path dir) throws IOException {
        Map<String, OnnxModelFile.Node> producers = new HashMap<>();
        for (OnnxModelFile.Node n : file.nodes()) {
            for (String out : n.outputs()) {
                producers.put(out, n);
            }
        }
        for (OnnxModelFile.Node n : file.nodes()) {
            if (!n.opType().equals("Softmax")) {
                continue;
            }
            // Softmax <- Add(scores, mask) <- Div(QK^T, sqrt(d)) or Mul(QK^T, 1/sqrt(d)), possibly scaled earlier
            OnnxModelFile.Node add = producers.get(n.inputs().get(0));
            List<OnnxModelFile.Node> candidates = new ArrayList<>();
            if (add != null) {
                candidates.add(add);
                for (String in : add.inputs()) {
                    if (producers.containsKey(in)) {
                        candidates.add(producers.get(in));
                    }
                }
            }
            for (OnnxModelFile.Node c : candidates) {
                if (!(c.opType().equals("Div") || c.opType().equals("Mul")) || c.inputs().size() != 2) {
                    continue;
                }
                Double s = constant(c.inputs().get(1), producers, inits);
                if (s == null || s <= 0) {
                    continue;
                }
                double headSize = c.opType().equals("Div") ? s * s : 1 / (s * s);
                long d = Math.round(headSize);
                if (d > 0 && Math.abs(headSize - d) < 1e-3 * d && hidden % d == 0) {
                    return (int) (hidden / d);
                }
            }
            break;
        }
        Path config = dir.resolve("config.json");
        if (Files.isRegularFile(config)) {
            Matcher m = Pattern.compile("\"num_attention_heads\"\\s*:\\s*(\\d+)").matcher(Files.readString(config));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IllegalArgumentException("could not find the number of attention heads of " + dir
                + ": no attention scale constant before a Softmax in the graph and no config.json with num_attention_heads");
    }

    private static float layerNormEps(OnnxModelFile file, Map<String, OnnxModelFile.Tensor> inits) {
        Map<String, OnnxModelFile.Node> producers = new HashMap<>();
        for (OnnxModelFile.Node n : file.nodes()) {
            for (String out : n.outputs()) {
                producers.put(out, n);
            }
            if (n.opType().equals("LayerNormalization") && n.numberAttributes().containsKey("epsilon")) {
                return n.numberAttributes().get("epsilon").floatValue();
            }
        }
        // decomposed LayerNorm: Sqrt(Add(ReduceMean(...), eps))
        for (OnnxModelFile.Node n : file.nodes()) {
            if (n.opType().equals("Sqrt")) {
                OnnxModelFile.Node add = producers.get(n.inputs().get(0));
                if (add != null && add.opType().equals("Add")) {
                    for (String in : add.inputs()) {
                        Double v = constant(in, producers, inits);
                        if (v != null && v > 0 && v < 1e-3) {
                            return v.floatValue();
                        }
                    }
                }
            }
        }
        return 1e-12f;
    }

    private static Double constant(String name, Map<String, OnnxModelFile.Node> producers,
                                   Map<String, OnnxModelFile.Tensor> inits) {
        OnnxModelFile.Tensor t = inits.get(name);
        if (t == null) {
            OnnxModelFile.Node p = producers.get(name);
            if (p != null && p.opType().equals("Constant")) {
                t = p.tensorAttributes().get("value");
                if (t == null && p.numberAttributes().containsKey("value_float")) {
                    return p.numberAttributes().get("value_float");
                }
            }
        }
        if (t == null || t.size() != 1) {
            return null;
        }
        return t.scalar();
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = v[r * cols + c];
            }
        }
        return out;
    }
}
