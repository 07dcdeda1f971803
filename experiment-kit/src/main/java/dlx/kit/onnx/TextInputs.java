package dlx.kit.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text inputs of an exported transformer graph, made exactly as the graph declares them:
 * {@code input_ids} and {@code attention_mask}, {@code token_type_ids} (zeros unless given) and
 * {@code position_ids} only when declared, each as int64 or int32 as its declared type says.
 * Positions count from 0 (BERT, CLIP) or, for RoBERTa-family graphs, from the padding index + 1
 * over the non-padding tokens with the padding index on padding, as Hugging Face's
 * {@code create_position_ids_from_input_ids} does. Other inputs (pixel values) are the caller's.
 */
public final class TextInputs {
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String POSITION_IDS = "position_ids";
    /** Every input this class makes. */
    public static final List<String> NAMES = List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS, POSITION_IDS);

    private final Map<String, OnnxJavaType> declared;
    private final long paddingIdx;

    private TextInputs(Map<String, OnnxJavaType> declared, long paddingIdx) {
        this.declared = declared;
        this.paddingIdx = paddingIdx;
    }

    /** The text inputs {@code session} declares. */
    public static TextInputs of(OrtSession session) throws OrtException {
        return of(session.getInputInfo());
    }

    /** The text inputs among declared {@code inputs} (by name); an integer type other than int32/int64 is refused. */
    public static TextInputs of(Map<String, NodeInfo> inputs) {
        Map<String, OnnxJavaType> declared = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> in : inputs.entrySet()) {
            if (!NAMES.contains(in.getKey())) {
                continue;
            }
            OnnxJavaType type = in.getValue().getInfo() instanceof TensorInfo t ? t.type : OnnxJavaType.UNKNOWN;
            if (type != OnnxJavaType.INT64 && type != OnnxJavaType.INT32) {
                throw new IllegalArgumentException("model input " + in.getKey() + " is " + in.getValue().getInfo()
                        + "; text inputs must be int64 or int32 tensors");
            }
            declared.put(in.getKey(), type);
        }
        return new TextInputs(Collections.unmodifiableMap(declared), -1);
    }

    /** The same inputs with RoBERTa position numbering (BERTweet, XLM-R): positions start after {@code paddingIdx}. */
    public TextInputs robertaPositions(long paddingIdx) {
        if (paddingIdx < 0) {
            throw new IllegalArgumentException("padding index " + paddingIdx + " must be >= 0");
        }
        return new TextInputs(declared, paddingIdx);
    }

    public boolean declares(String name) {
        return declared.containsKey(name);
    }

    /** The declared text inputs, in the graph's order. */
    public Set<String> names() {
        return declared.keySet();
    }

    /** The tensors of a padded batch ({@code [batch][tokens]}); token types all 0. */
    public InputTensors tensors(long[][] ids, long[][] mask) throws OrtException {
        return tensors(ids, mask, null);
    }

    /** The tensors of a padded batch with its token types (null: all 0). */
    public InputTensors tensors(long[][] ids, long[][] mask, long[][] tokenTypes) throws OrtException {
        InputTensors out = new InputTensors();
        try {
            for (Map.Entry<String, OnnxJavaType> in : declared.entrySet()) {
                long[][] values = switch (in.getKey()) {
                    case INPUT_IDS -> ids;
                    case ATTENTION_MASK -> mask;
                    case TOKEN_TYPE_IDS -> tokenTypes != null ? tokenTypes : new long[ids.length][width(ids)];
                    default -> positions(ids);
                };
                out.add(in.getKey(), tensor(in.getKey(), values, width(ids), in.getValue()));
            }
            return out;
        } catch (OrtException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** {@code position_ids} of a padded batch of token ids. */
    long[][] positions(long[][] ids) {
        long[][] p = new long[ids.length][width(ids)];
        for (int i = 0; i < ids.length; i++) {
            long next = paddingIdx < 0 ? -1 : paddingIdx;
            for (int t = 0; t < p[i].length; t++) {
                p[i][t] = paddingIdx >= 0 && ids[i][t] == paddingIdx ? paddingIdx : ++next;
            }
        }
        return p;
    }

    private static int width(long[][] rows) {
        return rows.length == 0 ? 0 : rows[0].length;
    }

    /** One {@code [rows, width]} tensor of the declared integer type. */
    private static OnnxTensor tensor(String name, long[][] rows, int width, OnnxJavaType type) throws OrtException {
        long[] shape = {rows.length, width};
        int n = rows.length * width;
        for (long[] row : rows) {
            if (row.length != width) {
                throw new IllegalArgumentException(name + ": rows of " + row.length + " and " + width
                        + " values; a batch must be padded to one length");
            }
        }
        if (type == OnnxJavaType.INT32) {
            int[] flat = new int[n];
            for (int i = 0; i < rows.length; i++) {
                for (int t = 0; t < width; t++) {
                    flat[i * width + t] = Math.toIntExact(rows[i][t]);
                }
            }
            return OnnxTensor.createTensor(OrtSessions.environment(), IntBuffer.wrap(flat), shape);
        }
        long[] flat = new long[n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return OnnxTensor.createTensor(OrtSessions.environment(), LongBuffer.wrap(flat), shape);
    }
}
