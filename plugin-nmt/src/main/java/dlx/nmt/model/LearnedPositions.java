package dlx.nmt.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A learned position table {@code (maxLength, dim)} added to {@code (B, T, dim)} inputs (GPT's
 * position embedding). Initialised N(0, 1/2), so that a row's expected norm is √(d/2), the norm of
 * a sinusoidal position vector.
 */
public final class LearnedPositions extends AbstractBlock {
    private final int maxLength;
    private final Parameter weight;

    public LearnedPositions(int maxLength, int dim) {
        this.maxLength = maxLength;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(maxLength, dim)).optInitializer(new NormalInitializer((float) Math.sqrt(0.5)))
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long t = x.getShape().get(x.getShape().dimension() - 2);
        if (t > maxLength) {
            throw new IllegalArgumentException("sequence of " + t + " positions, the learned table has " + maxLength);
        }
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        return new NDList(x.add(w.get(new NDIndex(":{}", t))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
