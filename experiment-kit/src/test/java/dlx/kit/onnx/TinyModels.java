package dlx.kit.onnx;

import dlx.kit.onnx.OnnxModelFile.AttributeFields;
import dlx.kit.onnx.OnnxModelFile.EntryFields;
import dlx.kit.onnx.OnnxModelFile.GraphFields;
import dlx.kit.onnx.OnnxModelFile.ModelFields;
import dlx.kit.onnx.OnnxModelFile.NodeFields;
import dlx.kit.onnx.OnnxModelFile.TensorFields;
import dlx.kit.onnx.OnnxModelFile.ValueInfoFields;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * ONNX models for the tests: the committed fixtures (copies of plugin-bert's tiny-bert and
 * plugin-clip's tiny CLIP text model, made by those plugins' src/test/python scripts) and tiny
 * graphs written here with the reader's own field-number constants, so that ONNX Runtime
 * accepting them proves the constants are onnx.proto3's.
 */
final class TinyModels {
    /** Fields the reader never reads, needed to write a loadable model. */
    static final int MODEL_IR_VERSION = 1;
    static final int MODEL_OPSET_IMPORT = 8;
    static final int OPSET_VERSION = 2;
    static final int GRAPH_NAME = 2;
    static final int ATTRIBUTE_TYPE = 20;
    static final int ATTRIBUTE_TYPE_FLOAT = 1;
    static final int ATTRIBUTE_TYPE_INT = 2;
    static final int ATTRIBUTE_TYPE_TENSOR = 4;
    static final int TENSOR_DATA_LOCATION = 14;
    static final int DATA_LOCATION_EXTERNAL = 1;

    private TinyModels() { }

    static Path fixture(String name) {
        try {
            return Path.of(TinyModels.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A graph of Identity nodes: each input {@code name -> elem type} comes back as output {@code name + "_out"}. */
    static Path echo(Path file, Map<String, Integer> inputs) throws IOException {
        ProtoWriter graph = new ProtoWriter().string(GRAPH_NAME, "echo");
        inputs.forEach((name, type) -> {
            graph.message(GraphFields.NODE, new ProtoWriter().string(NodeFields.INPUT, name)
                    .string(NodeFields.OUTPUT, name + "_out").string(NodeFields.NAME, "echo_" + name)
                    .string(NodeFields.OP_TYPE, "Identity"));
            graph.message(GraphFields.INPUT, valueInfo(name, type, "batch", "tokens"));
            graph.message(GraphFields.OUTPUT, valueInfo(name + "_out", type, "batch", "tokens"));
        });
        return write(file, graph);
    }

    /**
     * y = Reshape(LeakyRelu(x · w + c, alpha 0.25), k, allowzero 0) with x float [batch, 2], w a float [2, 3] initializer (raw data, or
     * in an external data file), c a Constant node's float scalar (float_data), k an int64
     * initializer [-1, 3]; w is also listed as a graph input, as exports before IR 4 did.
     */
    static Path affine(Path file, float[] w, float c, boolean externalWeights) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : w) {
            raw.putFloat(v);
        }
        ProtoWriter weights = new ProtoWriter().packed(TensorFields.DIMS, 2, 3).varint(TensorFields.DATA_TYPE, OnnxModelFile.FLOAT)
                .string(TensorFields.NAME, "w");
        if (externalWeights) {
            Files.write(file.resolveSibling("weights.bin"), raw.array());
            weights.message(TensorFields.EXTERNAL_DATA, entry("location", "weights.bin"))
                    .message(TensorFields.EXTERNAL_DATA, entry("offset", "0"))
                    .message(TensorFields.EXTERNAL_DATA, entry("length", Integer.toString(4 * w.length)))
                    .varint(TENSOR_DATA_LOCATION, DATA_LOCATION_EXTERNAL);
        } else {
            weights.bytes(TensorFields.RAW_DATA, raw.array());
        }
        ProtoWriter constant = new ProtoWriter().varint(TensorFields.DATA_TYPE, OnnxModelFile.FLOAT)
                .packedFloats(TensorFields.FLOAT_DATA, c).string(TensorFields.NAME, "c_value");
        ProtoWriter graph = new ProtoWriter().string(GRAPH_NAME, "affine")
                .message(GraphFields.NODE, node("Constant", "const", List.of(), "c")
                        .message(NodeFields.ATTRIBUTE, new ProtoWriter().string(AttributeFields.NAME, "value")
                                .message(AttributeFields.T, constant).varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_TENSOR)))
                .message(GraphFields.NODE, node("MatMul", "matmul", List.of("x", "w"), "xw"))
                .message(GraphFields.NODE, node("Add", "add", List.of("xw", "c"), "sum"))
                .message(GraphFields.NODE, node("LeakyRelu", "leaky", List.of("sum"), "act")
                        .message(NodeFields.ATTRIBUTE, new ProtoWriter().string(AttributeFields.NAME, "alpha")
                                .fixed32(AttributeFields.F, 0.25f).varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT)))
                .message(GraphFields.NODE, node("Reshape", "reshape", List.of("act", "k"), "y")
                        .message(NodeFields.ATTRIBUTE, new ProtoWriter().string(AttributeFields.NAME, "allowzero")
                                .varint(AttributeFields.I, 0).varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT)))
                .message(GraphFields.INITIALIZER, weights)
                .message(GraphFields.INITIALIZER, new ProtoWriter().packed(TensorFields.DIMS, 2)
                        .varint(TensorFields.DATA_TYPE, OnnxModelFile.INT64).string(TensorFields.NAME, "k")
                        .packed(TensorFields.INT64_DATA, -1, 3))
                .message(GraphFields.INPUT, valueInfo("x", OnnxModelFile.FLOAT, "batch", 2L))
                .message(GraphFields.INPUT, valueInfo("w", OnnxModelFile.FLOAT, 2L, 3L))
                .message(GraphFields.OUTPUT, valueInfo("y", OnnxModelFile.FLOAT, "batch", 3L));
        return write(file, graph);
    }

    private static ProtoWriter node(String op, String name, List<String> inputs, String output) {
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(i -> n.string(NodeFields.INPUT, i));
        return n.string(NodeFields.OUTPUT, output).string(NodeFields.NAME, name).string(NodeFields.OP_TYPE, op);
    }

    private static ProtoWriter entry(String key, String value) {
        return new ProtoWriter().string(EntryFields.KEY, key).string(EntryFields.VALUE, value);
    }

    /** A tensor value info; each dimension a size (Long) or a symbolic name (String). */
    private static ProtoWriter valueInfo(String name, int elemType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = d instanceof Long size ? new ProtoWriter().varint(ValueInfoFields.DIM_VALUE, size)
                    : new ProtoWriter().string(ValueInfoFields.DIM_PARAM, (String) d);
            shape.message(ValueInfoFields.DIM, dim);
        }
        ProtoWriter tensor = new ProtoWriter().varint(ValueInfoFields.ELEM_TYPE, elemType).message(ValueInfoFields.SHAPE, shape);
        return new ProtoWriter().string(ValueInfoFields.NAME, name)
                .message(ValueInfoFields.TYPE, new ProtoWriter().message(ValueInfoFields.TENSOR_TYPE, tensor));
    }

    private static Path write(Path file, ProtoWriter graph) throws IOException {
        ProtoWriter model = new ProtoWriter().varint(MODEL_IR_VERSION, 8)
                .message(MODEL_OPSET_IMPORT, new ProtoWriter().varint(OPSET_VERSION, 14))
                .message(ModelFields.GRAPH, graph);
        Files.write(file, model.toByteArray());
        return file;
    }
}
