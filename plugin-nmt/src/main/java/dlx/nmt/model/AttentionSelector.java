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
 * One attention layer with a single query per example: inputs {@code (query (B, D), sequence
 * (B, L, D))}, query W_q·query, keys W_k·x_i, values W_v·x_i, output logits W_o·Σ_i a_i W_v x_i
 * {@code (B, classes)} and the attention weights {@code (B, L)}. No biases, so a hand-coded set of
 * weights ({@link #setWeights}) fully defines the model.
 */
public final class AttentionSelector extends AbstractBlock {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    public AttentionSelector(int keyDim, int valueDim, int classes) {
        query = addChildBlock("query", Linear.builder().setUnits(keyDim).optBias(false).build());
        key = addChildBlock("key", Linear.builder().setUnits(keyDim).optBias(false).build());
        value = addChildBlock("value", Linear.builder().setUnits(valueDim).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(classes).optBias(false).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        query.initialize(manager, dataType, inputShapes[0]);
        key.initialize(manager, dataType, inputShapes[1]);
        value.initialize(manager, dataType, inputShapes[1]);
        output.initialize(manager, dataType, value.getOutputShapes(new Shape[] {inputShapes[0]}));
    }

    /** Sets W_q, W_k, W_v, W_o, each {@code [out][in]} (DJL's Linear layout). */
    public void setWeights(float[][] wq, float[][] wk, float[][] wv, float[][] wo) {
        set(query, wq);
        set(key, wk);
        set(value, wv);
        set(output, wo);
    }

    /** W_q, W_k, W_v, W_o as they are now, each {@code [out][in]}. */
    public float[][][] weights() {
        return new float[][][] {get(query), get(key), get(value), get(output)};
    }

    private static float[][] get(Linear linear) {
        NDArray array = linear.getParameters().get("weight").getArray();
        int rows = (int) array.getShape().get(0);
        int cols = (int) array.getShape().get(1);
        float[] flat = array.toFloatArray();
        float[][] w = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, w[r], 0, cols);
        }
        return w;
    }

    private static void set(Linear linear, float[][] w) {
        NDArray array = linear.getParameters().get("weight").getArray();
        float[] flat = new float[w.length * w[0].length];
        for (int r = 0; r < w.length; r++) {
            System.arraycopy(w[r], 0, flat, r * w[0].length, w[0].length);
        }
        if (array.size() != flat.length) {
            throw new IllegalArgumentException("weight " + array.getShape() + " needs " + array.size() + " values, got "
                    + w.length + "x" + w[0].length);
        }
        array.set(flat);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray q = query.forward(ps, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray k = key.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow();
        NDArray v = value.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow();
        NDList att = Attention.scaledDotProduct(q, k, v);
        NDArray logits = output.forward(ps, new NDList(att.get(0)), training).singletonOrThrow();
        return new NDList(logits, att.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape seq = inputShapes[1];
        Shape logits = output.getOutputShapes(value.getOutputShapes(new Shape[] {inputShapes[0]}))[0];
        return new Shape[] {logits, new Shape(seq.get(0), seq.get(1))};
    }
}
