package dlx.nmt.model;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import java.util.Locale;

/**
 * How a transformer learns where a token is (CSC413 §3.1.3): no positional information, fixed
 * one-hot positions, a learned table, or the sinusoidal table. Every kind adds a vector of the
 * same norm √(d/2) per position (the sinusoid's; learned: in expectation at initialisation), so
 * that an ablation compares the encodings' structure, not their magnitude.
 */
public enum Positions {
    NONE, ONE_HOT, LEARNED, SINUSOIDAL;

    /** The block that adds these positions to {@code (B, T, dim)} inputs of at most {@code maxLength} positions. */
    public Block block(int maxLength, int dim) {
        return switch (this) {
            case NONE -> Blocks.identityBlock();
            // A width-d model can one-hot encode d positions; a longer sequence is refused when it comes.
            case ONE_HOT -> PositionalEncoding.oneHot(Math.min(maxLength, dim), dim);
            case LEARNED -> new LearnedPositions(maxLength, dim);
            case SINUSOIDAL -> new PositionalEncoding(maxLength, dim);
        };
    }

    /** The parameter value: {@code none}, {@code one-hot}, {@code learned}, {@code sinusoidal}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Positions parse(String id) {
        for (Positions p : values()) {
            if (p.id().equalsIgnoreCase(id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("positional encoding '" + id + "' is not one of none, one-hot, learned, sinusoidal");
    }
}
