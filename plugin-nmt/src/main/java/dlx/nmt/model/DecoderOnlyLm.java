package dlx.nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder-only transformer language model: token embedding + positions (sinusoidal unless
 * stated, {@link Positions}), a stack of causal {@link TransformerBlock}s, a final layer norm and a
 * linear head. Input token ids {@code (B, T)} (int64), output logits {@code (B, T, vocab)}.
 */
public final class DecoderOnlyLm extends AbstractBlock {
    private final int vocab;
    private final int dim;
    private final int heads;
    private final int layers;
    private final int maxLength;
    private final TokenEmbedding embedding;
    private final Block positions;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    public DecoderOnlyLm(int vocab, int dim, int heads, int layers, int maxLength) {
        this(vocab, dim, heads, layers, maxLength, Positions.SINUSOIDAL);
    }

    public DecoderOnlyLm(int vocab, int dim, int heads, int layers, int maxLength, Positions positionKind) {
        this.vocab = vocab;
        this.dim = dim;
        this.heads = heads;
        this.layers = layers;
        this.maxLength = maxLength;
        embedding = addChildBlock("embedding", new TokenEmbedding(vocab, dim));
        positions = addChildBlock("positions", positionKind.block(maxLength, dim));
        for (int i = 0; i < layers; i++) {
            blocks.add(addChildBlock("block" + i, TransformerBlock.decoder(dim, heads)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(vocab).build());
    }

    public int vocab() { return vocab; }
    public int dim() { return dim; }
    public int heads() { return heads; }
    public int layers() { return layers; }
    public int maxLength() { return maxLength; }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        Shape x = ids.add(dim);
        embedding.initialize(manager, dataType, ids);
        positions.initialize(manager, dataType, x);
        for (TransformerBlock b : blocks) {
            b.initialize(manager, dataType, x);
        }
        norm.initialize(manager, dataType, x);
        head.initialize(manager, dataType, x);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = embedding.forward(ps, inputs, training).singletonOrThrow();
        x = positions.forward(ps, new NDList(x), training).singletonOrThrow();
        for (TransformerBlock b : blocks) {
            x = b.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        return head.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(vocab)};
    }
}
