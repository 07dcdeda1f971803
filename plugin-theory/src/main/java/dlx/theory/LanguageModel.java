package dlx.theory;

import java.util.List;
import java.util.Map;

/**
 * A language model as the decoders see it: the vocabulary and log p(next | prefix). An empty
 * map from {@link #nextLogProbs} means the prefix is a complete sentence (end of sequence).
 */
public interface LanguageModel {

    /** Every word the model can produce, in a fixed order. */
    List<String> vocabulary();

    /** log p(w | prefix) for every continuation w with non-zero probability; empty at the end of a sequence. */
    Map<String, Double> nextLogProbs(List<String> prefix);
}
