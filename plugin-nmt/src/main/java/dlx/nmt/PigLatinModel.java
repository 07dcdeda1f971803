package dlx.nmt;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.model.DecoderOnlyLm;
import dlx.nmt.model.EncoderDecoder;
import dlx.nmt.model.Flops;
import dlx.nmt.model.Positions;

/** One Pig Latin translator: encoder–decoder or decoder-only, its width, heads, layers and positional encoding. */
record PigLatinModel(PigLatinData.Layout layout, int dim, int heads, int layers, Positions positions) {
    /** Positions the models are built for: the longest word translated, its Pig Latin and the special tokens. */
    static final int MAX_LENGTH = 2 * PigLatinTraining.MAX_WORD + 16;

    static PigLatinModel decoderOnly(int dim, int heads, int layers) {
        return new PigLatinModel(PigLatinData.Layout.DECODER_ONLY, dim, heads, layers, Positions.SINUSOIDAL);
    }

    static PigLatinModel encoderDecoder(int dim, int heads, int layers) {
        return new PigLatinModel(PigLatinData.Layout.ENCODER_DECODER, dim, heads, layers, Positions.SINUSOIDAL);
    }

    PigLatinModel with(Positions p) {
        return new PigLatinModel(layout, dim, heads, layers, p);
    }

    /** Sets the model's block to a new, initialised translator. */
    void buildInto(Model model) {
        Block block;
        Shape[] shapes;
        if (layout == PigLatinData.Layout.ENCODER_DECODER) {
            block = new EncoderDecoder(PigLatinData.VOCAB, dim, heads, layers, MAX_LENGTH, positions);
            shapes = new Shape[] {new Shape(1, 5), new Shape(1, 8)};
        } else {
            block = new DecoderOnlyLm(PigLatinData.VOCAB, dim, heads, layers, MAX_LENGTH, positions);
            shapes = new Shape[] {new Shape(1, 12)};
        }
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
    }

    /**
     * The longest word it translates: {@link PigLatinTraining#MAX_WORD}, or with one-hot positions (a
     * width-d model encodes d positions) what fits the greedy decoding of {@link PigLatinTraining#translateWord}:
     * a decoder input of up to s + 8 tokens, or a decoder-only sequence of up to 2s + 10.
     */
    int maxWord() {
        if (positions != Positions.ONE_HOT) {
            return PigLatinTraining.MAX_WORD;
        }
        int fits = layout == PigLatinData.Layout.ENCODER_DECODER ? dim - 8 : (dim - 10) / 2;
        return Math.min(PigLatinTraining.MAX_WORD, fits);
    }

    /** Forward FLOPs of one pair of these lengths ({@link Flops}). */
    double forwardFlops(int sourceLength, int targetLength) {
        return layout == PigLatinData.Layout.ENCODER_DECODER
                ? Flops.encoderDecoder(dim, layers, PigLatinData.VOCAB, sourceLength, targetLength + 1)
                : Flops.decoderOnly(dim, layers, PigLatinData.VOCAB, layout.tokens(sourceLength, targetLength));
    }
}
