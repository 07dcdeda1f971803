package dlx.nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pre-norm transformer block on {@code (B, T, dim)}. Encoder block: x + MHA(LN x), then
 * x + MLP(LN x). Decoder block: causal self-attention, then (when given a memory, i.e. inputs
 * {@code (x, memory)}) cross-attention to the encoder output, then the MLP (dim → 4·dim → dim, ReLU).
 * Output: {@code (y)}, or {@code (y, memory)} for a decoder with memory, so blocks chain.
 */
public final class TransformerBlock extends AbstractBlock {
    private final boolean decoder;
    private final boolean cross;
    private final LayerNorm norm1;
    private final MultiHeadAttention selfAttention;
    private final LayerNorm normCross;
    private final MultiHeadAttention crossAttention;
    private final LayerNorm norm2;
    private final SequentialBlock mlp;

    private TransformerBlock(int dim, int heads, boolean decoder, boolean cross) {
        this.decoder = decoder;
        this.cross = cross;
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
        selfAttention = addChildBlock("selfAttention", new MultiHeadAttention(dim, heads, decoder));
        if (cross) {
            normCross = addChildBlock("normCross", LayerNorm.builder().axis(2).build());
            crossAttention = addChildBlock("crossAttention", new MultiHeadAttention(dim, heads, false));
        } else {
            normCross = null;
            crossAttention = null;
        }
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
        mlp = addChildBlock("mlp", new SequentialBlock()
                .add(Linear.builder().setUnits(4L * dim).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(dim).build()));
    }

    /** Bidirectional self-attention + MLP. */
    public static TransformerBlock encoder(int dim, int heads) {
        return new TransformerBlock(dim, heads, false, false);
    }

    /** Causal self-attention + MLP (decoder-only models). */
    public static TransformerBlock decoder(int dim, int heads) {
        return new TransformerBlock(dim, heads, true, false);
    }

    /** Causal self-attention + cross-attention to an encoder memory + MLP. */
    public static TransformerBlock crossDecoder(int dim, int heads) {
        return new TransformerBlock(dim, heads, true, true);
    }

    public boolean isDecoder() {
        return decoder;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        norm1.initialize(manager, dataType, x);
        selfAttention.initialize(manager, dataType, x);
        if (cross) {
            normCross.initialize(manager, dataType, x);
            crossAttention.initialize(manager, dataType, x, inputShapes[1]);
        }
        norm2.initialize(manager, dataType, x);
        mlp.initialize(manager, dataType, x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray h = norm1.forward(ps, new NDList(x), training).singletonOrThrow();
        x = x.add(selfAttention.forward(ps, new NDList(h), training).get(0));
        if (cross) {
            NDArray memory = inputs.get(1);
            NDArray hc = normCross.forward(ps, new NDList(x), training).singletonOrThrow();
            x = x.add(crossAttention.forward(ps, new NDList(hc, memory), training).get(0));
        }
        NDArray h2 = norm2.forward(ps, new NDList(x), training).singletonOrThrow();
        x = x.add(mlp.forward(ps, new NDList(h2), training).singletonOrThrow());
        return cross ? new NDList(x, inputs.get(1)) : new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return cross ? new Shape[] {inputShapes[0], inputShapes[1]} : new Shape[] {inputShapes[0]};
    }
}
