package dlx.kit.onnx;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal reader of the ONNX protobuf ({@code onnx.proto3}), so that no protobuf library is
 * needed: the graph's declared inputs and outputs, its nodes (op type, name, inputs, outputs,
 * tensor- and number-valued attributes) and its initializers (FLOAT, DOUBLE, INT64), including
 * tensors kept in external data files. Only these fields are decoded; everything else is skipped
 * by wire type. {@link #readSignature} reads the inputs and outputs alone, cheaply, without
 * decoding any weights.
 */
public final class OnnxModelFile {
    /** {@code TensorProto.DataType} values. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;

    /** Protobuf wire types. */
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** Field numbers of {@code ModelProto}. */
    static final class ModelFields {
        static final int GRAPH = 7;

        private ModelFields() { }
    }

    /** Field numbers of {@code GraphProto}. */
    static final class GraphFields {
        static final int NODE = 1;
        static final int INITIALIZER = 5;
        static final int INPUT = 11;
        static final int OUTPUT = 12;

        private GraphFields() { }
    }

    /** Field numbers of {@code NodeProto}. */
    static final class NodeFields {
        static final int INPUT = 1;
        static final int OUTPUT = 2;
        static final int NAME = 3;
        static final int OP_TYPE = 4;
        static final int ATTRIBUTE = 5;

        private NodeFields() { }
    }

    /** Field numbers of {@code AttributeProto}. */
    static final class AttributeFields {
        static final int NAME = 1;
        static final int F = 2;
        static final int I = 3;
        static final int T = 5;

        private AttributeFields() { }
    }

    /** Field numbers of {@code TensorProto}. */
    static final class TensorFields {
        static final int DIMS = 1;
        static final int DATA_TYPE = 2;
        static final int FLOAT_DATA = 4;
        static final int INT64_DATA = 7;
        static final int NAME = 8;
        static final int RAW_DATA = 9;
        static final int DOUBLE_DATA = 10;
        static final int EXTERNAL_DATA = 13;

        private TensorFields() { }
    }

    /** Field numbers of {@code StringStringEntryProto} (a tensor's external-data entries). */
    static final class EntryFields {
        static final int KEY = 1;
        static final int VALUE = 2;

        private EntryFields() { }
    }

    /** Field numbers of {@code ValueInfoProto}, {@code TypeProto}, {@code TypeProto.Tensor}, {@code TensorShapeProto(.Dimension)}. */
    static final class ValueInfoFields {
        static final int NAME = 1;
        static final int TYPE = 2;
        /** TypeProto.tensor_type */
        static final int TENSOR_TYPE = 1;
        /** TypeProto.Tensor.elem_type */
        static final int ELEM_TYPE = 1;
        /** TypeProto.Tensor.shape */
        static final int SHAPE = 2;
        /** TensorShapeProto.dim */
        static final int DIM = 1;
        /** TensorShapeProto.Dimension.dim_value */
        static final int DIM_VALUE = 1;
        /** TensorShapeProto.Dimension.dim_param */
        static final int DIM_PARAM = 2;

        private ValueInfoFields() { }
    }

    /** A tensor: name, dims, element type; {@code floats} for FLOAT/DOUBLE, {@code longs} for INT64. */
    public record Tensor(String name, long[] dims, int dataType, float[] floats, long[] longs) {
        public long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        /** A scalar (or one-element) numeric value. */
        public double scalar() {
            if (floats != null && floats.length > 0) {
                return floats[0];
            }
            if (longs != null && longs.length > 0) {
                return longs[0];
            }
            throw new IllegalStateException("tensor " + name + " holds no number");
        }
    }

    /** A node of the graph; {@code tensorAttributes} holds the tensor-valued attributes (Constant's {@code value}). */
    public record Node(String opType, String name, List<String> inputs, List<String> outputs,
                       Map<String, Tensor> tensorAttributes, Map<String, Double> numberAttributes) { }

    /**
     * A declared graph input or output: its element type ({@code TensorProto.DataType}, 0 when
     * it is not a tensor) and shape (-1 for a symbolic or unknown dimension; null without a shape).
     */
    public record ValueInfo(String name, int elemType, long[] shape) {
        /** {@code float}, {@code int64}, ... as ONNX Runtime names them. */
        public String typeName() {
            return switch (elemType) {
                case 0 -> "not a tensor";
                case FLOAT -> "float";
                case 2 -> "uint8";
                case 3 -> "int8";
                case 4 -> "uint16";
                case 5 -> "int16";
                case INT32 -> "int32";
                case INT64 -> "int64";
                case 8 -> "string";
                case 9 -> "bool";
                case FLOAT16 -> "float16";
                case DOUBLE -> "double";
                default -> "type " + elemType;
            };
        }

        /** {@code input_ids int64[-1, -1]}. */
        @Override
        public String toString() {
            return name + " " + typeName() + (shape == null ? "" : java.util.Arrays.toString(shape));
        }
    }

    private final List<ValueInfo> inputs;
    private final List<ValueInfo> outputs;
    private final List<Node> nodes;
    private final Map<String, Tensor> initializers;

    private OnnxModelFile(List<ValueInfo> inputs, List<ValueInfo> outputs, List<Node> nodes, Map<String, Tensor> initializers) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.nodes = nodes;
        this.initializers = initializers;
    }

    /** The inputs a caller feeds (initializers that older exports also list as inputs left out). */
    public List<ValueInfo> inputs() { return inputs; }
    public List<ValueInfo> outputs() { return outputs; }
    /** The nodes; empty after {@link #readSignature}. */
    public List<Node> nodes() { return nodes; }
    /** The initializers by name; empty after {@link #readSignature}. */
    public Map<String, Tensor> initializers() { return initializers; }

    /** Reads the whole graph of {@code model}; external data files are resolved relative to its folder. */
    public static OnnxModelFile read(Path model) throws IOException {
        return read(model, true);
    }

    /** Reads only the declared inputs and outputs: no node or weight is decoded. */
    public static OnnxModelFile readSignature(Path model) throws IOException {
        return read(model, false);
    }

    private static OnnxModelFile read(Path model, boolean everything) throws IOException {
        ByteBuffer buf;
        try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "r"); FileChannel ch = f.getChannel()) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        Reader r = new Reader(buf, 0, buf.limit());
        List<ValueInfo> inputs = new ArrayList<>();
        List<ValueInfo> outputs = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> inits = new LinkedHashMap<>();
        Set<String> initNames = new HashSet<>();
        boolean graphSeen = false;
        while (r.more()) {
            int key = r.key();
            if (field(key) == ModelFields.GRAPH && wire(key) == LENGTH_DELIMITED) {
                graphSeen = true;
                Reader g = r.sub();
                while (g.more()) {
                    int gk = g.key();
                    int field = wire(gk) == LENGTH_DELIMITED ? field(gk) : -1;
                    if (field == GraphFields.INPUT) {
                        inputs.add(valueInfo(g.sub()));
                    } else if (field == GraphFields.OUTPUT) {
                        outputs.add(valueInfo(g.sub()));
                    } else if (field == GraphFields.NODE && everything) {
                        nodes.add(node(g.sub(), model));
                    } else if (field == GraphFields.INITIALIZER && everything) {
                        Tensor t = tensor(g.sub(), model);
                        inits.put(t.name(), t);
                        initNames.add(t.name());
                    } else if (field == GraphFields.INITIALIZER) {
                        initNames.add(tensorName(g.sub()));
                    } else {
                        g.skip(wire(gk));
                    }
                }
            } else {
                r.skip(wire(key));
            }
        }
        if (!graphSeen) {
            throw new IOException(model + " holds no ONNX graph");
        }
        inputs.removeIf(in -> initNames.contains(in.name()));
        return new OnnxModelFile(List.copyOf(inputs), List.copyOf(outputs), List.copyOf(nodes), inits);
    }

    private static int field(int key) {
        return key >>> 3;
    }

    private static int wire(int key) {
        return key & 7;
    }

    private static ValueInfo valueInfo(Reader r) throws IOException {
        String name = "";
        int elemType = 0;
        long[] shape = null;
        while (r.more()) {
            int k = r.key();
            if (field(k) == ValueInfoFields.NAME && wire(k) == LENGTH_DELIMITED) {
                name = r.string();
            } else if (field(k) == ValueInfoFields.TYPE && wire(k) == LENGTH_DELIMITED) {
                Reader type = r.sub();
                while (type.more()) {
                    int tk = type.key();
                    if (field(tk) != ValueInfoFields.TENSOR_TYPE || wire(tk) != LENGTH_DELIMITED) {
                        type.skip(wire(tk));
                        continue;
                    }
                    Reader tensor = type.sub();
                    while (tensor.more()) {
                        int ek = tensor.key();
                        if (field(ek) == ValueInfoFields.ELEM_TYPE && wire(ek) == VARINT) {
                            elemType = (int) tensor.varint();
                        } else if (field(ek) == ValueInfoFields.SHAPE && wire(ek) == LENGTH_DELIMITED) {
                            shape = shape(tensor.sub());
                        } else {
                            tensor.skip(wire(ek));
                        }
                    }
                }
            } else {
                r.skip(wire(k));
            }
        }
        return new ValueInfo(name, elemType, shape);
    }

    private static long[] shape(Reader r) throws IOException {
        List<Long> dims = new ArrayList<>();
        while (r.more()) {
            int k = r.key();
            if (field(k) != ValueInfoFields.DIM || wire(k) != LENGTH_DELIMITED) {
                r.skip(wire(k));
                continue;
            }
            Reader dim = r.sub();
            long value = -1;
            while (dim.more()) {
                int dk = dim.key();
                if (field(dk) == ValueInfoFields.DIM_VALUE && wire(dk) == VARINT) {
                    value = dim.varint();
                } else {
                    dim.skip(wire(dk));
                }
            }
            dims.add(value);
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static Node node(Reader r, Path model) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Double> numbers = new LinkedHashMap<>();
        while (r.more()) {
            int k = r.key();
            switch (wire(k) == LENGTH_DELIMITED ? field(k) : -1) {
                case NodeFields.INPUT -> inputs.add(r.string());
                case NodeFields.OUTPUT -> outputs.add(r.string());
                case NodeFields.NAME -> name = r.string();
                case NodeFields.OP_TYPE -> op = r.string();
                case NodeFields.ATTRIBUTE -> {
                    Reader a = r.sub();
                    String an = "";
                    Tensor t = null;
                    Double num = null;
                    while (a.more()) {
                        int ak = a.key();
                        int af = field(ak);
                        if (af == AttributeFields.NAME && wire(ak) == LENGTH_DELIMITED) {
                            an = a.string();
                        } else if (af == AttributeFields.F && wire(ak) == FIXED32) {
                            num = (double) Float.intBitsToFloat(a.fixed32());
                        } else if (af == AttributeFields.I && wire(ak) == VARINT) {
                            num = (double) a.varint();
                        } else if (af == AttributeFields.T && wire(ak) == LENGTH_DELIMITED) {
                            t = tensor(a.sub(), model);
                        } else {
                            a.skip(wire(ak));
                        }
                    }
                    if (t != null) {
                        tensors.put(an, t);
                    }
                    if (num != null) {
                        numbers.put(an, num);
                    }
                }
                default -> r.skip(wire(k));
            }
        }
        return new Node(op, name, List.copyOf(inputs), List.copyOf(outputs), tensors, numbers);
    }

    /** Only the name of an initializer (its data skipped). */
    private static String tensorName(Reader r) throws IOException {
        String name = "";
        while (r.more()) {
            int k = r.key();
            if (field(k) == TensorFields.NAME && wire(k) == LENGTH_DELIMITED) {
                name = r.string();
            } else {
                r.skip(wire(k));
            }
        }
        return name;
    }

    private static Tensor tensor(Reader r, Path model) throws IOException {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = "";
        ByteBuffer raw = null;
        List<Float> floatData = new ArrayList<>();
        List<Long> longData = new ArrayList<>();
        List<Double> doubleData = new ArrayList<>();
        Map<String, String> external = new LinkedHashMap<>();
        while (r.more()) {
            int k = r.key();
            int f = field(k);
            boolean packed = wire(k) == LENGTH_DELIMITED;
            if (f == TensorFields.DIMS) {
                if (packed) {
                    Reader p = r.sub();
                    while (p.more()) {
                        dims.add(p.varint());
                    }
                } else {
                    dims.add(r.varint());
                }
            } else if (f == TensorFields.DATA_TYPE && wire(k) == VARINT) {
                type = (int) r.varint();
            } else if (f == TensorFields.FLOAT_DATA) {
                if (packed) {
                    Reader p = r.sub();
                    while (p.more()) {
                        floatData.add(Float.intBitsToFloat(p.fixed32()));
                    }
                } else {
                    floatData.add(Float.intBitsToFloat(r.fixed32()));
                }
            } else if (f == TensorFields.INT64_DATA) {
                if (packed) {
                    Reader p = r.sub();
                    while (p.more()) {
                        longData.add(p.varint());
                    }
                } else {
                    longData.add(r.varint());
                }
            } else if (f == TensorFields.DOUBLE_DATA) {
                if (packed) {
                    Reader p = r.sub();
                    while (p.more()) {
                        doubleData.add(Double.longBitsToDouble(p.fixed64()));
                    }
                } else {
                    doubleData.add(Double.longBitsToDouble(r.fixed64()));
                }
            } else if (f == TensorFields.NAME && packed) {
                name = r.string();
            } else if (f == TensorFields.RAW_DATA && packed) {
                raw = r.bytes();
            } else if (f == TensorFields.EXTERNAL_DATA && packed) {
                Reader e = r.sub();
                String key = "";
                String value = "";
                while (e.more()) {
                    int ek = e.key();
                    if (field(ek) == EntryFields.KEY && wire(ek) == LENGTH_DELIMITED) {
                        key = e.string();
                    } else if (field(ek) == EntryFields.VALUE && wire(ek) == LENGTH_DELIMITED) {
                        value = e.string();
                    } else {
                        e.skip(wire(ek));
                    }
                }
                external.put(key, value);
            } else {
                r.skip(wire(k));
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        if (raw == null && external.containsKey("location")) {
            raw = externalData(model, name, external);
        }
        float[] floats = null;
        long[] longs = null;
        if (type == FLOAT) {
            if (raw != null) {
                floats = new float[raw.remaining() / 4];
                raw.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats);
            } else {
                floats = new float[floatData.size()];
                for (int i = 0; i < floats.length; i++) {
                    floats[i] = floatData.get(i);
                }
            }
        } else if (type == DOUBLE) {
            double[] v;
            if (raw != null) {
                v = new double[raw.remaining() / 8];
                raw.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
            } else {
                v = doubleData.stream().mapToDouble(Double::doubleValue).toArray();
            }
            floats = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                floats[i] = (float) v[i];
            }
        } else if (type == INT64) {
            if (raw != null) {
                longs = new long[raw.remaining() / 8];
                raw.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(longs);
            } else {
                longs = longData.stream().mapToLong(Long::longValue).toArray();
            }
        }
        return new Tensor(name, d, type, floats, longs);
    }

    private static ByteBuffer externalData(Path model, String tensor, Map<String, String> external) throws IOException {
        Path file = model.toAbsolutePath().getParent().resolve(external.get("location"));
        long offset = Long.parseLong(external.getOrDefault("offset", "0"));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r"); FileChannel ch = f.getChannel()) {
            long length = external.containsKey("length") ? Long.parseLong(external.get("length")) : ch.size() - offset;
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (IOException e) {
            throw new IOException("tensor " + tensor + " of " + model + " lives in the external data file " + file
                    + ", which could not be read: " + e.getMessage(), e);
        }
    }

    /** Protobuf wire-format reader over a slice of a buffer. */
    private static final class Reader {
        private final ByteBuffer buf;
        private int pos;
        private final int end;

        Reader(ByteBuffer buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        /** A field's key: field number and wire type. */
        int key() throws IOException {
            return (int) varint();
        }

        long varint() throws IOException {
            long result = 0;
            int shift = 0;
            while (true) {
                if (pos >= end) {
                    throw new IOException("truncated ONNX protobuf (varint)");
                }
                byte b = buf.get(pos++);
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
                shift += 7;
                if (shift > 63) {
                    throw new IOException("malformed varint in ONNX protobuf");
                }
            }
        }

        int fixed32() throws IOException {
            need(4);
            int v = buf.order(ByteOrder.LITTLE_ENDIAN).getInt(pos);
            pos += 4;
            return v;
        }

        long fixed64() throws IOException {
            need(8);
            long v = buf.order(ByteOrder.LITTLE_ENDIAN).getLong(pos);
            pos += 8;
            return v;
        }

        private void need(int bytes) throws IOException {
            if (pos + bytes > end) {
                throw new IOException("truncated ONNX protobuf (fixed-size value)");
            }
        }

        Reader sub() throws IOException {
            long len = varint();
            if (len < 0 || pos + len > end) {
                throw new IOException("truncated ONNX protobuf (length " + len + ")");
            }
            Reader r = new Reader(buf, pos, pos + (int) len);
            pos += (int) len;
            return r;
        }

        ByteBuffer bytes() throws IOException {
            Reader s = sub();
            return buf.duplicate().position(s.pos).limit(s.end).slice();
        }

        String string() throws IOException {
            Reader s = sub();
            byte[] b = new byte[s.end - s.pos];
            buf.duplicate().position(s.pos).get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        void skip(int wireType) throws IOException {
            switch (wireType) {
                case VARINT -> varint();
                case FIXED64 -> {
                    need(8);
                    pos += 8;
                }
                case LENGTH_DELIMITED -> sub();
                case FIXED32 -> {
                    need(4);
                    pos += 4;
                }
                default -> throw new IOException("unsupported protobuf wire type " + wireType + " in ONNX file");
            }
        }
    }
}
