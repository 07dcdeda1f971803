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
 * Encoder–decoder transformer: inputs {@code (source ids (B, S), decoder input ids (B, T))}, output
 * logits {@code (B, T, vocab)}. Source and target share one embedding table and the positions
 * (sinusoidal unless stated, {@link Positions}); the encoder stack is bidirectional, the decoder
 * stack causal with cross-attention.
 */
public final class EncoderDecoder extends AbstractBlock {
    private final int dim;
    private final int vocab;
    private final TokenEmbedding embedding;
    private final Block positions;
    private final List<TransformerBlock> encoder = new ArrayList<>();
    private final LayerNorm encoderNorm;
    private final List<TransformerBlock> decoder = new ArrayList<>();
    private final LayerNorm decoderNorm;
    private final Linear head;

    public EncoderDecoder(int vocab, int dim, int heads, int layers, int maxLength) {
        this(vocab, dim, heads, layers, maxLength, Positions.SINUSOIDAL);
    }

    public EncoderDecoder(int vocab, int dim, int heads, int layers, int maxLength, Positions positionKind) {
        this.vocab = vocab;
        this.dim = dim;
        embedding = addChildBlock("embedding", new TokenEmbedding(vocab, dim));
        positions = addChildBlock("positions", positionKind.block(maxLength, dim));
        for (int i = 0; i < layers; i++) {
            encoder.add(addChildBlock("encoder" + i, TransformerBlock.encoder(dim, heads)));
        }
        encoderNorm = addChildBlock("encoderNorm", LayerNorm.builder().axis(2).build());
        for (int i = 0; i < layers; i++) {
            decoder.add(addChildBlock("decoder" + i, TransformerBlock.crossDecoder(dim, heads)));
        }
        decoderNorm = addChildBlock("decoderNorm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(vocab).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape src = inputShapes[0].add(dim);
        Shape tgt = inputShapes[1].add(dim);
        embedding.initialize(manager, dataType, inputShapes[0]);
        positions.initialize(manager, dataType, src);
        for (TransformerBlock b : encoder) {
            b.initialize(manager, dataType, src);
        }
        encoderNorm.initialize(manager, dataType, src);
        for (TransformerBlock b : decoder) {
            b.initialize(manager, dataType, tgt, src);
        }
        decoderNorm.initialize(manager, dataType, tgt);
        head.initialize(manager, dataType, tgt);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray src = embed(ps, inputs.get(0), training);
        for (TransformerBlock b : encoder) {
            src = b.forward(ps, new NDList(src), training).singletonOrThrow();
        }
        NDArray memory = encoderNorm.forward(ps, new NDList(src), training).singletonOrThrow();
        NDArray x = embed(ps, inputs.get(1), training);
        for (TransformerBlock b : decoder) {
            x = b.forward(ps, new NDList(x, memory), training).get(0);
        }
        x = decoderNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        return head.forward(ps, new NDList(x), training);
    }

    private NDArray embed(ParameterStore ps, NDArray ids, boolean training) {
        NDArray e = embedding.forward(ps, new NDList(ids), training).singletonOrThrow();
        return positions.forward(ps, new NDList(e), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[1].add(vocab)};
    }
}
