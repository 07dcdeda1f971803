package dlx.bert;

import dlx.api.Labels;
import dlx.api.RunReporter;
import java.util.Locale;

/**
 * One encoder trained twice with the same head on [CLS]: frozen (the head alone, on [CLS] vectors
 * computed once) and fine-tuned (encoder and head together). The course's question (why does the
 * frozen model train faster, and why does fine-tuning score higher?) is answered from these numbers.
 *
 * @param frozen the frozen encoder's head training
 * @param frozenTrainable weights the frozen run trains (the head's)
 * @param encodeSeconds time to compute the [CLS] vectors once (frozen only)
 * @param fineTuned the fine-tuning
 * @param fineTunedTrainable weights fine-tuning trains (encoder and head)
 * @param head the head's name, {@link Head#name}
 */
record Comparison(Trained frozen, long frozenTrainable, double encodeSeconds, Trained fineTuned, long fineTunedTrainable,
                  String head) {

    /** How many times longer a fine-tuning epoch takes than a frozen-head epoch. */
    double epochSecondsRatio() {
        return fineTuned.medianEpochSeconds() / frozen.medianEpochSeconds();
    }

    /** Fine-tuned minus frozen validation accuracy. */
    double accuracyGain() {
        return fineTuned.valAccuracy() - frozen.valAccuracy();
    }

    /** The answer to "why", in words, every claim following from the measured numbers. */
    String why() {
        double ratio = epochSecondsRatio();
        String speed = ratio > 1
                ? String.format(Locale.ROOT, "The frozen encoder trains faster: %.3g s per epoch against %.3g s fine-tuned "
                        + "(%.0fx), because only the head's %,d weights train, on [CLS] vectors computed once (%.2f s), "
                        + "while fine-tuning runs the encoder forward and backward on every batch and updates %,d weights.",
                        frozen.medianEpochSeconds(), fineTuned.medianEpochSeconds(), ratio, frozenTrainable, encodeSeconds,
                        fineTunedTrainable)
                : String.format(Locale.ROOT, "Here the frozen encoder's epochs were not faster (%.3g s against %.3g s "
                        + "fine-tuned).", frozen.medianEpochSeconds(), fineTuned.medianEpochSeconds());
        double gain = accuracyGain();
        String accuracy = String.format(Locale.ROOT, " With the same %s head on [CLS], fine-tuning reaches %.3f against "
                + "%.3f frozen (%+.1f points): ", head, fineTuned.valAccuracy(), frozen.valAccuracy(), 100 * gain)
                + (gain > 0 ? "adapting the representation to the task pays, since the frozen [CLS] vector was not "
                        + "trained to separate these classes."
                        : "adapting the representation did not pay on this run.");
        return speed + accuracy;
    }

    /** The answers {@code why}, {@code epochSecondsRatio} and {@code accuracyGain}, under {@code labels}. */
    void report(RunReporter reporter, Labels labels) {
        reporter.answer("why", labels, why());
        reporter.answer("epochSecondsRatio", labels, epochSecondsRatio());
        reporter.answer("accuracyGain", labels, accuracyGain());
        reporter.metric("epochSecondsRatio", labels, epochSecondsRatio());
        reporter.metric("accuracyGain", labels, accuracyGain());
    }
}
