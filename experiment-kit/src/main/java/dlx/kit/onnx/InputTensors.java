package dlx.kit.onnx;

import ai.onnxruntime.OnnxTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input tensors of one session run by input name, closed together: ONNX Runtime tensors hold
 * native memory, and a run that fails half-way must not leak the ones already made.
 */
public final class InputTensors implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

    /** Adds (and from now on owns) the tensor of input {@code name}. */
    public InputTensors add(String name, OnnxTensor tensor) {
        OnnxTensor previous = tensors.put(name, tensor);
        if (previous != null) {
            previous.close();
            throw new IllegalArgumentException("input " + name + " was given twice");
        }
        return this;
    }

    /** What {@code OrtSession.run} takes. */
    public Map<String, OnnxTensor> map() {
        return Collections.unmodifiableMap(tensors);
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
        tensors.clear();
    }
}
