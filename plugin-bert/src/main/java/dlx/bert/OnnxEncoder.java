package dlx.bert;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dlx.api.Device;
import dlx.kit.onnx.InputTensors;
import dlx.kit.onnx.OrtSessions;
import dlx.kit.onnx.OrtSettings;
import dlx.kit.onnx.TextInputs;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An exported encoder run with ONNX Runtime: the folder's tokenizer (DJL HuggingFace tokenizers),
 * one session created once and reused, padded batches with attention masks; the kit's
 * {@link TextInputs} feeds {@code token_type_ids} and {@code position_ids} (RoBERTa numbering for
 * RoBERTa-family folders) when the export has those inputs.
 */
public final class OnnxEncoder implements AutoCloseable {
    private final EncoderFolder folder;
    private final TextTokenizer tokenizer;
    private final OrtSessions.Opened opened;
    private final TextInputs inputs;
    private final String outputName;

    /** Token ids, attention mask and token types of a padded batch ({@code [batch][maxLength]}). */
    public record Batch(long[][] ids, long[][] mask, long[][] types) {
        public int size() {
            return ids.length;
        }

        public int length() {
            return ids.length == 0 ? 0 : ids[0].length;
        }
    }

    /** The folder's tokenizer: ids and token types of one text framed with its special tokens. */
    interface TextTokenizer extends AutoCloseable {
        long[][] idsAndTypes(String text);

        List<String> tokens(String text);

        long padId();

        @Override
        void close();
    }

    private OnnxEncoder(EncoderFolder folder, TextTokenizer tokenizer, OrtSessions.Opened opened, TextInputs inputs,
                        String outputName) {
        this.folder = folder;
        this.tokenizer = tokenizer;
        this.opened = opened;
        this.inputs = inputs;
        this.outputName = outputName;
    }

    /** Opens the folder's tokenizer and model; errors say which file or input is missing. */
    public static OnnxEncoder open(EncoderFolder folder, Device device, OrtSettings ort, Consumer<String> log)
            throws OrtException, IOException {
        return open(folder, device, ort, log, null);
    }

    /**
     * As {@link #open(EncoderFolder, Device, OrtSettings, Consumer)}; {@code tweetNormalization} overrides what
     * the folder's tokenizer_config.json says (fastBPE tokenizer only; null = as the folder says).
     */
    public static OnnxEncoder open(EncoderFolder folder, Device device, OrtSettings ort, Consumer<String> log, Boolean tweetNormalization)
            throws OrtException, IOException {
        boolean robertaPositions = folder.fastBpe() || TokenizerFiles.robertaFamily(folder.dir());
        TextTokenizer tokenizer = folder.fastBpe() ? fastBpe(folder, tweetNormalization)
                : folder.wordPiece() ? wordPiece(folder) : huggingFace(folder);
        OrtSessions.Opened opened;
        try {
            opened = OrtSessions.open(folder.model(), device, ort, log);
        } catch (OrtException | RuntimeException e) {
            tokenizer.close();
            throw new IllegalArgumentException("ONNX Runtime could not load " + folder.model() + ": " + e.getMessage()
                    + "; " + EncoderFolder.exportHint(), e);
        }
        try {
            Set<String> declared = opened.session().getInputInfo().keySet();
            List<String> missing = new ArrayList<>();
            for (String required : List.of(TextInputs.INPUT_IDS, TextInputs.ATTENTION_MASK)) {
                if (!declared.contains(required)) {
                    missing.add(required);
                }
            }
            List<String> unknown = declared.stream().filter(name -> !TextInputs.NAMES.contains(name)).toList();
            if (!missing.isEmpty() || !unknown.isEmpty()) {
                throw new IllegalArgumentException(folder.model() + " has inputs " + declared + ": "
                        + (missing.isEmpty() ? "" : "missing " + missing + " ")
                        + (unknown.isEmpty() ? "" : "unexpected " + unknown + " ")
                        + "(an encoder takes input_ids, attention_mask and optionally token_type_ids / position_ids); "
                        + EncoderFolder.exportHint());
            }
            TextInputs inputs = TextInputs.of(opened.session());
            if (robertaPositions) {
                inputs = inputs.robertaPositions(tokenizer.padId());
            }
            String output = null;
            for (Map.Entry<String, NodeInfo> out : opened.session().getOutputInfo().entrySet()) {
                if (out.getKey().equals("last_hidden_state")) {
                    output = out.getKey();
                    break;
                }
                if (output == null && out.getValue().getInfo() instanceof TensorInfo ti && ti.getShape().length == 3) {
                    output = out.getKey();
                }
            }
            if (output == null) {
                throw new IllegalArgumentException(folder.model() + " has no rank-3 output (batch x tokens x hidden) such as "
                        + "last_hidden_state; its outputs are " + opened.session().getOutputNames() + "; "
                        + EncoderFolder.exportHint());
            }
            return new OnnxEncoder(folder, tokenizer, opened, inputs, output);
        } catch (OrtException | RuntimeException e) {
            tokenizer.close();
            opened.close();
            throw e;
        }
    }

    private static TextTokenizer huggingFace(EncoderFolder folder) throws IOException {
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(folder.tokenizer(),
                    Map.of("padding", "false", "truncation", "true", "maxLength", "512"));
        } catch (RuntimeException | IOException e) {
            throw new IllegalArgumentException("could not read " + folder.tokenizer() + " as a Hugging Face tokenizer.json: "
                    + e.getMessage() + "; " + EncoderFolder.exportHint(), e);
        }
        long pad = TokenizerFiles.padId(folder.tokenizer());
        return new TextTokenizer() {
            @Override
            public long[][] idsAndTypes(String text) {
                Encoding e = hf.encode(text);
                long[] mask = e.getAttentionMask();
                int n = 0;
                while (n < mask.length && mask[n] != 0) {
                    n++;
                }
                return new long[][] {Arrays.copyOf(e.getIds(), n), Arrays.copyOf(e.getTypeIds(), n)};
            }

            @Override
            public List<String> tokens(String text) {
                return List.of(hf.encode(text).getTokens());
            }

            @Override
            public long padId() {
                return pad;
            }

            @Override
            public void close() {
                hf.close();
            }
        };
    }

    private static TextTokenizer fastBpe(EncoderFolder folder, Boolean tweetNormalization) throws IOException {
        FastBpeTokenizer bpe = FastBpeTokenizer.load(folder.tokenizer(), folder.bpeCodes(),
                tweetNormalization != null ? tweetNormalization : TokenizerFiles.tweetNormalization(folder.dir()));
        return new TextTokenizer() {
            @Override
            public long[][] idsAndTypes(String text) {
                long[] ids = bpe.encode(text);
                return new long[][] {ids, new long[ids.length]};
            }

            @Override
            public List<String> tokens(String text) {
                return Arrays.stream(bpe.encode(text)).mapToObj(bpe::token).toList();
            }

            @Override
            public long padId() {
                return FastBpeTokenizer.PAD;
            }

            @Override
            public void close() {
            }
        };
    }

    private static TextTokenizer wordPiece(EncoderFolder folder) throws IOException {
        WordPieceTokenizer wp = WordPieceTokenizer.load(folder.tokenizer());
        return new TextTokenizer() {
            @Override
            public long[][] idsAndTypes(String text) {
                long[] ids = wp.encode(text);
                return new long[][] {ids, new long[ids.length]};
            }

            @Override
            public List<String> tokens(String text) {
                return Arrays.stream(wp.encode(text)).mapToObj(wp::token).toList();
            }

            @Override
            public long padId() {
                return wp.padId();
            }

            @Override
            public void close() {
            }
        };
    }

    public EncoderFolder folder() { return folder; }
    public long padId() { return tokenizer.padId(); }
    public String provider() { return opened.provider(); }
    public boolean usesTokenTypes() { return inputs.declares(TextInputs.TOKEN_TYPE_IDS); }
    public Set<String> inputNames() { return inputs.names(); }
    public String outputName() { return outputName; }

    /**
     * Tokenizes with the folder's tokenizer ([CLS] ... [SEP] or &lt;s&gt; ... &lt;/s&gt; framing) and pads
     * to the longest text with the tokenizer's padding id.
     */
    public Batch tokenize(List<String> texts) {
        long[][] rawIds = new long[texts.size()][];
        long[][] rawTypes = new long[texts.size()][];
        int max = 1;
        for (int i = 0; i < texts.size(); i++) {
            long[][] e = tokenizer.idsAndTypes(texts.get(i));
            rawIds[i] = e[0];
            rawTypes[i] = e[1];
            max = Math.max(max, e[0].length);
        }
        long[][] ids = new long[texts.size()][max];
        long[][] mask = new long[texts.size()][max];
        long[][] types = new long[texts.size()][max];
        for (int i = 0; i < texts.size(); i++) {
            Arrays.fill(ids[i], tokenizer.padId());
            System.arraycopy(rawIds[i], 0, ids[i], 0, rawIds[i].length);
            System.arraycopy(rawTypes[i], 0, types[i], 0, rawTypes[i].length);
            Arrays.fill(mask[i], 0, rawIds[i].length, 1L);
        }
        return new Batch(ids, mask, types);
    }

    /** The tokens of one text, for display. */
    public List<String> tokens(String text) {
        return tokenizer.tokens(text);
    }

    /** The last hidden state {@code [batch][tokens][hidden]} of one padded batch. */
    public float[][][] hidden(Batch batch) throws OrtException {
        try (InputTensors in = inputs.tensors(batch.ids(), batch.mask(), batch.types());
             OrtSession.Result r = opened.session().run(in.map(), Set.of(outputName))) {
            return (float[][][]) r.get(0).getValue();
        }
    }

    /**
     * The first-token ([CLS]) vectors of all texts, computed in batches of {@code batchSize}. Only
     * those rows are copied out of the hidden states: turning the whole [batch, tokens, hidden]
     * output into Java arrays cost more than tokenising the batch.
     */
    public float[][] cls(List<String> texts, int batchSize) throws OrtException {
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += batchSize) {
            float[][] rows = firstTokens(tokenize(texts.subList(start, Math.min(texts.size(), start + batchSize))));
            System.arraycopy(rows, 0, out, start, rows.length);
        }
        return out;
    }

    /** The first-token vectors {@code [batch][hidden]} of one padded batch. */
    float[][] firstTokens(Batch batch) throws OrtException {
        try (InputTensors in = inputs.tensors(batch.ids(), batch.mask(), batch.types());
             OrtSession.Result r = opened.session().run(in.map(), Set.of(outputName))) {
            OnnxTensor t = (OnnxTensor) r.get(0);
            long[] shape = t.getInfo().getShape();
            int tokens = (int) shape[1];
            int hidden = (int) shape[2];
            FloatBuffer all = t.getFloatBuffer();
            float[][] out = new float[(int) shape[0]][hidden];
            for (int i = 0; i < out.length; i++) {
                all.get(i * tokens * hidden, out[i]);
            }
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        try {
            tokenizer.close();
        } finally {
            opened.close();
        }
    }
}
