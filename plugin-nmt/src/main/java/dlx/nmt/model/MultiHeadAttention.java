package dlx.nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head attention: inputs {@code (x)} for self-attention or {@code (x, memory)} for
 * cross-attention, both {@code (B, T, dim)}; heads split the model width. Causal attention masks
 * future keys (self-attention of a decoder).
 */
public final class MultiHeadAttention extends AbstractBlock {
    private final int dim;
    private final int heads;
    private final boolean causal;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    public MultiHeadAttention(int dim, int heads, boolean causal) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("width " + dim + " is not divisible by " + heads + " heads");
        }
        this.dim = dim;
        this.heads = heads;
        this.causal = causal;
        query = addChildBlock("query", Linear.builder().setUnits(dim).optBias(false).build());
        key = addChildBlock("key", Linear.builder().setUnits(dim).optBias(false).build());
        value = addChildBlock("value", Linear.builder().setUnits(dim).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape mem = inputShapes.length > 1 ? inputShapes[1] : x;
        query.initialize(manager, dataType, x);
        key.initialize(manager, dataType, mem);
        value.initialize(manager, dataType, mem);
        output.initialize(manager, dataType, x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mem = inputs.size() > 1 ? inputs.get(1) : x;
        NDArray q = split(query.forward(ps, new NDList(x), training).singletonOrThrow());
        NDArray k = split(key.forward(ps, new NDList(mem), training).singletonOrThrow());
        NDArray v = split(value.forward(ps, new NDList(mem), training).singletonOrThrow());
        NDList att = Attention.scaledDotProduct(q, k, v, causal);
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray merged = att.get(0).transpose(0, 2, 1, 3).reshape(b, t, dim);
        NDArray out = output.forward(ps, new NDList(merged), training).singletonOrThrow();
        return new NDList(out, att.get(1));
    }

    private NDArray split(NDArray z) {
        long b = z.getShape().get(0);
        long t = z.getShape().get(1);
        return z.reshape(b, t, heads, dim / heads).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        long tk = inputShapes.length > 1 ? inputShapes[1].get(1) : x.get(1);
        return new Shape[] {x, new Shape(x.get(0), heads, x.get(1), tk)};
    }
}
