package dlx.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BERT encoder written with DJL NDArray operations (so DJL's autograd trains it), holding the
 * weights imported from an ONNX export ({@link BertWeights}). It computes exactly what the Hugging
 * Face BertModel computes: word + position (from 0) + token-type embeddings, LayerNorm, and per
 * layer multi-head self-attention with an additive attention mask, residual + LayerNorm, a GELU
 * (erf) feed-forward block, residual + LayerNorm.
 */
public final class DjlBert implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final int layers;
    private final int hidden;
    private final int heads;
    private final float eps;
    private final long robertaPaddingIdx;
    /**
     * The constants of the forward pass as 0-d tensors libtorch made and the model's manager owns.
     * DJL's {@code mul(Number)}, {@code div(Number)}, ... wrap the number in a Java direct buffer freed
     * right after the call, while autograd keeps it for the backward pass of a fine-tuning step: when
     * the garbage collector ran in between, backward read freed memory.
     */
    private final NDArray attentionScale;
    private final NDArray sqrt2;
    private final NDArray one;
    private final NDArray half;

    public DjlBert(NDManager parent, BertWeights weights) {
        this.manager = parent.newSubManager();
        this.layers = weights.layers();
        this.hidden = weights.hidden();
        this.heads = weights.heads();
        this.eps = weights.layerNormEps();
        this.robertaPaddingIdx = weights.robertaPaddingIdx();
        weights.params().forEach((name, p) -> params.put(name, manager.create(p.values(), new Shape(p.shape()))));
        attentionScale = manager.full(new Shape(), (float) (1 / Math.sqrt(hidden / heads)), DataType.FLOAT32);
        sqrt2 = manager.full(new Shape(), (float) Math.sqrt(2), DataType.FLOAT32);
        one = manager.full(new Shape(), 1f, DataType.FLOAT32);
        half = manager.full(new Shape(), 0.5f, DataType.FLOAT32);
    }

    /** The trainable tensors by Hugging Face name (linear weights as [in, out]). */
    public Map<String, NDArray> parameters() { return params; }
    public int hidden() { return hidden; }
    public NDManager manager() { return manager; }

    /**
     * The last hidden state {@code [batch, tokens, hidden]}; {@code ids}, {@code mask}, {@code types}
     * are int64 {@code [batch, tokens]}.
     */
    public NDArray forward(NDArray ids, NDArray mask, NDArray types) {
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        NDManager m = ids.getManager();
        NDArray positions;
        if (robertaPaddingIdx >= 0) {
            // RoBERTa: padding_idx + 1, +2, ... over the non-padding tokens; padding_idx on padding
            NDArray notPad = ids.neq(robertaPaddingIdx).toType(DataType.INT64, false);
            positions = notPad.cumSum(1).mul(notPad).add(robertaPaddingIdx);
        } else {
            positions = m.arange(0, (int) t, 1, DataType.INT64).reshape(1, t).repeat(0, b);
        }
        NDArray x = embed(ids, "embeddings.word_embeddings.weight")
                .add(embed(positions, "embeddings.position_embeddings.weight"));
        if (params.containsKey("embeddings.token_type_embeddings.weight")) {
            x = x.add(embed(types, "embeddings.token_type_embeddings.weight"));
        }
        x = layerNorm(x, "embeddings.LayerNorm");
        // additive mask [b, 1, 1, t]: 0 where attended, a large negative number on padding (the mask needs no
        // gradient, so autograd records none of these operations and keeps none of their numbers)
        NDArray additive = mask.toType(DataType.FLOAT32, false).neg().add(1f).mul(-1e9f).reshape(b, 1, 1, t);
        int headSize = hidden / heads;
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            NDArray q = split(linear(x, p + "attention.self.query"), b, t, headSize);
            NDArray k = split(linear(x, p + "attention.self.key"), b, t, headSize);
            NDArray v = split(linear(x, p + "attention.self.value"), b, t, headSize);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(attentionScale).add(additive);
            NDArray context = scores.softmax(3).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, hidden);
            NDArray attn = layerNorm(linear(context, p + "attention.output.dense").add(x), p + "attention.output.LayerNorm");
            NDArray inter = gelu(linear(attn, p + "intermediate.dense"));
            x = layerNorm(linear(inter, p + "output.dense").add(attn), p + "output.LayerNorm");
        }
        return x;
    }

    private NDArray embed(NDArray ids, String weight) {
        NDArray w = params.get(weight);
        NDArray flat = ids.reshape(-1);
        NDArray out = Embedding.embedding(flat, w, SparseFormat.DENSE).singletonOrThrow();
        // keep step temporaries in the caller's manager, not in the weights' manager
        out.attach(ids.getManager());
        return out.reshape(ids.getShape().get(0), ids.getShape().get(1), w.getShape().get(1));
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(params.get(name + ".weight")).add(params.get(name + ".bias"));
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(hidden), params.get(name + ".weight"), params.get(name + ".bias"), eps)
                .singletonOrThrow();
    }

    private NDArray split(NDArray x, long b, long t, int headSize) {
        return x.reshape(b, t, heads, headSize).transpose(0, 2, 1, 3);
    }

    /** Exact GELU: x * 0.5 * (1 + erf(x / sqrt 2)), as BERT's "gelu". */
    private NDArray gelu(NDArray x) {
        return x.mul(x.div(sqrt2).erf().add(one)).mul(half);
    }

    @Override
    public void close() {
        manager.close();
    }
}
