package dlx.nmt.train;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Random;

/** Where the training loop gets its batches; arrays are created on the manager it passes in. */
public interface BatchSource {

    /** A random training batch. */
    Batch train(NDManager manager, Random random);

    /** The fixed validation batches (the same every call). */
    List<Batch> validation(NDManager manager);
}
