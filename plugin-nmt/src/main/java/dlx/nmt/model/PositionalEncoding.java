package dlx.nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.Map;

/**
 * Adds the sinusoidal positional encoding PE(p, 2i) = sin(p / 10000^(2i/d)),
 * PE(p, 2i+1) = cos(p / 10000^(2i/d)) to {@code (B, T, d)} inputs. The table is computed once
 * (for {@code maxLength} positions) when the block is initialised; no parameters.
 */
public final class PositionalEncoding extends AbstractBlock {
    private final int maxLength;
    private final int dim;
    private NDArray table;
    private final Map<Long, NDArray> prefixes = new HashMap<>();

    public PositionalEncoding(int maxLength, int dim) {
        this.maxLength = maxLength;
        this.dim = dim;
    }

    /** The encoding table as plain numbers, {@code [position][feature]}. */
    public static float[][] table(int maxLength, int dim) {
        float[][] pe = new float[maxLength][dim];
        for (int p = 0; p < maxLength; p++) {
            for (int i = 0; i < dim; i += 2) {
                double angle = p / Math.pow(10000, (double) i / dim);
                pe[p][i] = (float) Math.sin(angle);
                if (i + 1 < dim) {
                    pe[p][i + 1] = (float) Math.cos(angle);
                }
            }
        }
        return pe;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        float[][] pe = table(maxLength, dim);
        float[] flat = new float[maxLength * dim];
        for (int p = 0; p < maxLength; p++) {
            System.arraycopy(pe[p], 0, flat, p * dim, dim);
        }
        table = manager.create(flat, new Shape(maxLength, dim));
        prefixes.clear();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long t = x.getShape().get(x.getShape().dimension() - 2);
        if (t > maxLength) {
            throw new IllegalArgumentException("sequence of " + t + " positions, encoding has " + maxLength);
        }
        NDArray pe = prefixes.computeIfAbsent(t, n -> table.get(new NDIndex(":{}", n)));
        return new NDList(x.add(pe.toDevice(x.getDevice(), false)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
