package dlx.kit.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AdamW exactly as DJL's {@code Optimizer.adamW()} computes it (same defaults: learning rate
 * 0.001, beta1 0.9, beta2 0.999, epsilon 1e-8, weight decay 0.01; the same bias correction and
 * the same native {@code adamUpdate} with decoupled weight decay), except that its state, the
 * first and second moments and the update counts, can be saved and loaded. DJL keeps them in
 * private fields, so a resumed training would restart them at zero; with this optimizer in a
 * {@link Checkpoints} a resumed run continues exactly as the uninterrupted one, and its
 * learning-rate schedule continues from the saved update count.
 */
public final class AdamW extends Optimizer {
    private final ParameterTracker learningRateTracker;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final int beginNumUpdate;
    private final Map<String, Integer> updateCounts = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();
    private int numUpdate;

    private AdamW(Builder b) {
        super(b);
        learningRateTracker = b.learningRateTracker;
        beta1 = b.beta1;
        beta2 = b.beta2;
        epsilon = b.epsilon;
        beginNumUpdate = b.beginNumUpdate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** As DJL counts: the highest update count of any parameter so far (so all parameters of a step share t). */
    @Override
    protected int updateCount(String parameterId) {
        int count = updateCounts.compute(parameterId, (k, v) -> v == null ? beginNumUpdate + 1 : v + 1);
        numUpdate = Math.max(numUpdate, count);
        return numUpdate;
    }

    /** Updates seen so far (the step count the learning-rate tracker was last asked for). */
    public int updates() {
        return numUpdate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float lr = learningRateTracker.getNewValue(parameterId, t);
        float correctedLr = (float) (lr * Math.sqrt(coef2) / coef1);
        float weightDecay = getWeightDecay();
        if (!Float.isFinite(lr) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("learning rate or weight decay is nan or infinite");
        }
        NDList inputs = new NDList(weight, grad,
                withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
                withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
        weight.getNDArrayInternal().adamUpdate(inputs, new NDList(weight), lr, correctedLr, weightDecay, rescaleGrad,
                clipGrad, beta1, beta2, epsilon, true, true);
    }

    /**
     * Writes the update counts and both moments of every parameter of {@code block} updated so
     * far, by the parameter's name in the block (its id changes with every new block instance).
     */
    public void save(DataOutputStream out, Block block) throws IOException {
        out.writeInt(numUpdate);
        List<Pair<String, Parameter>> updated = new ArrayList<>();
        block.getParameters().forEach(p -> {
            if (updateCounts.containsKey(p.getValue().getId())) {
                updated.add(p);
            }
        });
        out.writeInt(updated.size());
        for (Pair<String, Parameter> p : updated) {
            String id = p.getValue().getId();
            out.writeUTF(p.getKey());
            out.writeInt(updateCounts.get(id));
            writeState(out, means.get(id));
            writeState(out, variances.get(id));
        }
    }

    /**
     * Replaces the state with what {@link #save} wrote for a block of the same structure; the
     * moments are created on {@code manager}.
     */
    public void load(DataInputStream in, NDManager manager, Block block) throws IOException {
        clear();
        numUpdate = in.readInt();
        int n = in.readInt();
        ParameterList parameters = block.getParameters();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            Parameter p = parameters.get(name);
            if (p == null) {
                throw new IOException("the optimiser state names parameter '" + name + "', which the block does not have");
            }
            updateCounts.put(p.getId(), in.readInt());
            readState(in, manager, means, p.getId());
            readState(in, manager, variances, p.getId());
        }
    }

    private void clear() {
        means.values().forEach(m -> m.values().forEach(NDArray::close));
        variances.values().forEach(m -> m.values().forEach(NDArray::close));
        means.clear();
        variances.clear();
        updateCounts.clear();
        numUpdate = 0;
    }

    /** Every device holds the same state; the first one is saved. */
    private static void writeState(DataOutputStream out, Map<Device, NDArray> perDevice) throws IOException {
        if (perDevice == null || perDevice.isEmpty()) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = perDevice.values().iterator().next().encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void readState(DataInputStream in, NDManager manager, Map<String, Map<Device, NDArray>> into, String id)
            throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        NDArray state = manager.decode(bytes);
        Map<Device, NDArray> perDevice = new ConcurrentHashMap<>();
        perDevice.put(state.getDevice(), state);
        into.put(id, perDevice);
    }

    /** The builder, with DJL's AdamW defaults. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRateTracker = Tracker.fixed(0.001f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private int beginNumUpdate;

        private Builder() {
            optWeightDecays(0.01f);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRateTracker = tracker;
            return this;
        }

        public Builder optBeta1(float b) {
            this.beta1 = b;
            return this;
        }

        public Builder optBeta2(float b) {
            this.beta2 = b;
            return this;
        }

        public Builder optEpsilon(float e) {
            this.epsilon = e;
            return this;
        }

        /** The optimiser counts its own updates (to save them), so it keeps this too. */
        @Override
        public Builder optBeginNumUpdate(int n) {
            this.beginNumUpdate = n;
            return super.optBeginNumUpdate(n);
        }

        public AdamW build() {
            return new AdamW(this);
        }
    }
}
