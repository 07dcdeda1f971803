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
 * Adds a fixed position table to {@code (B, T, d)} inputs: by default the sinusoidal encoding
 * PE(p, 2i) = sin(p / 10000^(2i/d)), PE(p, 2i+1) = cos(p / 10000^(2i/d)); or one-hot positions
 * ({@link #oneHot}). The table is put on the device once, when the block is initialised; no parameters.
 */
public final class PositionalEncoding extends AbstractBlock {
    private final int maxLength;
    private final int dim;
    private final float[][] values;
    private NDArray table;
    private final Map<Long, NDArray> prefixes = new HashMap<>();

    /** The sinusoidal encoding. */
    public PositionalEncoding(int maxLength, int dim) {
        this(maxLength, dim, table(maxLength, dim));
    }

    private PositionalEncoding(int maxLength, int dim, float[][] values) {
        this.maxLength = maxLength;
        this.dim = dim;
        this.values = values;
    }

    /** One-hot positions scaled to the sinusoid's norm √(d/2): {@link #oneHotTable}. */
    public static PositionalEncoding oneHot(int maxLength, int dim) {
        return new PositionalEncoding(maxLength, dim, oneHotTable(maxLength, dim));
    }

    /**
     * Position p is √(d/2)·e_p, the p-th unit vector scaled to the norm of a sinusoidal position
     * vector. One-hot positions need a width of at least the longest sequence.
     */
    public static float[][] oneHotTable(int maxLength, int dim) {
        if (maxLength > dim) {
            throw new IllegalArgumentException("one-hot positions need a model width of at least the longest sequence: "
                    + maxLength + " positions, width " + dim);
        }
        float[][] t = new float[maxLength][dim];
        for (int p = 0; p < maxLength; p++) {
            t[p][p] = (float) Math.sqrt(dim / 2.0);
        }
        return t;
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
        float[][] pe = values;
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
