package dlx.bert;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal reader of the ONNX protobuf ({@code onnx.proto3}): the graph's nodes (op type, name,
 * inputs, outputs, tensor-valued attributes) and its float initializers, including tensors kept in
 * external data files. Only the fields the weight import needs are decoded; everything else is
 * skipped by wire type. No protobuf library is needed.
 */
public final class OnnxModelFile {
    /** ONNX TensorProto.DataType values used here. */
    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

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

    private final List<Node> nodes;
    private final Map<String, Tensor> initializers;

    private OnnxModelFile(List<Node> nodes, Map<String, Tensor> initializers) {
        this.nodes = nodes;
        this.initializers = initializers;
    }

    public List<Node> nodes() { return nodes; }
    public Map<String, Tensor> initializers() { return initializers; }

    /** Reads {@code model}; external data files are resolved relative to its folder. */
    public static OnnxModelFile read(Path model) throws IOException {
        ByteBuffer buf;
        try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "r"); FileChannel ch = f.getChannel()) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        Reader r = new Reader(buf, 0, buf.limit());
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> inits = new LinkedHashMap<>();
        boolean graphSeen = false;
        while (r.more()) {
            int key = (int) r.varint();
            if (key >>> 3 == 7 && (key & 7) == 2) {
                graphSeen = true;
                Reader g = r.sub();
                while (g.more()) {
                    int gk = (int) g.varint();
                    int field = gk >>> 3;
                    if (field == 1 && (gk & 7) == 2) {
                        nodes.add(node(g.sub(), model));
                    } else if (field == 5 && (gk & 7) == 2) {
                        Tensor t = tensor(g.sub(), model);
                        inits.put(t.name(), t);
                    } else {
                        g.skip(gk & 7);
                    }
                }
            } else {
                r.skip(key & 7);
            }
        }
        if (!graphSeen) {
            throw new IOException(model + " holds no ONNX graph");
        }
        return new OnnxModelFile(List.copyOf(nodes), inits);
    }

    private static Node node(Reader r, Path model) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Double> numbers = new LinkedHashMap<>();
        while (r.more()) {
            int k = (int) r.varint();
            switch (k >>> 3) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 5 -> {
                    Reader a = r.sub();
                    String an = "";
                    Tensor t = null;
                    Double num = null;
                    while (a.more()) {
                        int ak = (int) a.varint();
                        int af = ak >>> 3;
                        if (af == 1 && (ak & 7) == 2) {
                            an = a.string();
                        } else if (af == 2 && (ak & 7) == 5) {
                            num = (double) Float.intBitsToFloat(a.fixed32());
                        } else if (af == 3 && (ak & 7) == 0) {
                            num = (double) a.varint();
                        } else if (af == 5 && (ak & 7) == 2) {
                            t = tensor(a.sub(), model);
                        } else {
                            a.skip(ak & 7);
                        }
                    }
                    if (t != null) {
                        tensors.put(an, t);
                    }
                    if (num != null) {
                        numbers.put(an, num);
                    }
                }
                default -> r.skip(k & 7);
            }
        }
        return new Node(op, name, List.copyOf(inputs), List.copyOf(outputs), tensors, numbers);
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
            int k = (int) r.varint();
            int f = k >>> 3;
            int w = k & 7;
            if (f == 1) {
                if (w == 2) {
                    Reader p = r.sub();
                    while (p.more()) {
                        dims.add(p.varint());
                    }
                } else {
                    dims.add(r.varint());
                }
            } else if (f == 2 && w == 0) {
                type = (int) r.varint();
            } else if (f == 4) {
                if (w == 2) {
                    Reader p = r.sub();
                    while (p.more()) {
                        floatData.add(Float.intBitsToFloat(p.fixed32()));
                    }
                } else {
                    floatData.add(Float.intBitsToFloat(r.fixed32()));
                }
            } else if (f == 7) {
                if (w == 2) {
                    Reader p = r.sub();
                    while (p.more()) {
                        longData.add(p.varint());
                    }
                } else {
                    longData.add(r.varint());
                }
            } else if (f == 10) {
                if (w == 2) {
                    Reader p = r.sub();
                    while (p.more()) {
                        doubleData.add(Double.longBitsToDouble(p.fixed64()));
                    }
                } else {
                    doubleData.add(Double.longBitsToDouble(r.fixed64()));
                }
            } else if (f == 8 && w == 2) {
                name = r.string();
            } else if (f == 9 && w == 2) {
                raw = r.bytes();
            } else if (f == 13 && w == 2) {
                Reader e = r.sub();
                String key = "";
                String value = "";
                while (e.more()) {
                    int ek = (int) e.varint();
                    if (ek >>> 3 == 1 && (ek & 7) == 2) {
                        key = e.string();
                    } else if (ek >>> 3 == 2 && (ek & 7) == 2) {
                        value = e.string();
                    } else {
                        e.skip(ek & 7);
                    }
                }
                external.put(key, value);
            } else {
                r.skip(w);
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

        int fixed32() {
            int v = buf.order(ByteOrder.LITTLE_ENDIAN).getInt(pos);
            pos += 4;
            return v;
        }

        long fixed64() {
            long v = buf.order(ByteOrder.LITTLE_ENDIAN).getLong(pos);
            pos += 8;
            return v;
        }

        Reader sub() throws IOException {
            int len = (int) varint();
            if (len < 0 || pos + len > end) {
                throw new IOException("truncated ONNX protobuf (length " + len + ")");
            }
            Reader r = new Reader(buf, pos, pos + len);
            pos += len;
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
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> sub();
                case 5 -> pos += 4;
                default -> throw new IOException("unsupported protobuf wire type " + wireType + " in ONNX file");
            }
        }
    }
}
