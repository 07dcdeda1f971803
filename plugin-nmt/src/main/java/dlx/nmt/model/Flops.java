package dlx.nmt.model;

/**
 * Forward FLOPs of the plugin's transformers, counted from their matrix products as the code computes
 * them (2 FLOPs per multiply-add; biases, layer norms, softmax and residual additions left out, as in
 * Kaplan et al.'s 2N + 2·n_layer·n_ctx·d). Attention is computed over the full T×T score matrix
 * (the causal mask is added, not skipped), so it counts 2·T·T·d for the scores and as much for the
 * weighted sum. A training step costs about three forward passes (the backward pass two), which is
 * where the 6·N·D rule comes from: 6 = 3 × 2 FLOPs per parameter and token.
 */
public final class Flops {
    private Flops() { }

    /** A decoder-only model ({@link DecoderOnlyLm}) on one sequence of {@code length} tokens. */
    public static double decoderOnly(int dim, int layers, int vocab, int length) {
        double t = length;
        double d = dim;
        // Per layer: Q, K, V, O (4·2Td²), MLP d→4d→d (2·2·T·d·4d), scores and weighted sum (2·2T²d).
        double perLayer = 8 * t * d * d + 16 * t * d * d + 4 * t * t * d;
        return layers * perLayer + 2 * t * d * vocab;
    }

    /**
     * An encoder–decoder model ({@link EncoderDecoder}) on a source of {@code source} tokens and a
     * decoder input of {@code target} tokens.
     */
    public static double encoderDecoder(int dim, int layers, int vocab, int source, int target) {
        double s = source;
        double t = target;
        double d = dim;
        double encoder = 24 * s * d * d + 4 * s * s * d;
        // Self-attention and MLP as in the encoder, on the T decoder positions; cross-attention projects
        // the queries and outputs of the T positions (2·2Td²) and the keys and values of the S memory
        // positions (2·2Sd²), and attends T×S (2·2TSd).
        double decoder = 24 * t * d * d + 4 * t * t * d + 4 * t * d * d + 4 * s * d * d + 4 * t * s * d;
        return layers * (encoder + decoder) + 2 * t * d * vocab;
    }
}
