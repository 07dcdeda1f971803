package dlx.kit.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The three Fashion-MNIST models of the course, as DJL blocks taking {@code (N, 1, 28, 28)} images
 * and giving 10 logits. One definition serves plugin-vision (training) and plugin-theory
 * (parameter counts).
 */
public final class FashionModels {
    public static final Shape INPUT_SHAPE = new Shape(1, 1, 28, 28);
    public static final int CLASSES = 10;

    private FashionModels() { }

    /** 784 -> 128 (ReLU) -> 10. */
    public static SequentialBlock mlp() {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    /** 64 kernels 7x7 (ReLU), 2x2 max-pool, dense 10. */
    public static SequentialBlock cnn2() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(7, 7)).setFilters(64).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    /** cnn2's first two layers, then a 64 -> 128 2x2 convolution (ReLU) and 2x2 max-pool, dense 10. */
    public static SequentialBlock cnn3() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(7, 7)).setFilters(64).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(2, 2)).setFilters(128).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }
}
