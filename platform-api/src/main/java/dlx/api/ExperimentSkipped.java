package dlx.api;

/**
 * Thrown when a requirement that only the user can supply (a model folder, say) is not configured
 * at all. The message must say how to supply it. A path that was given but is unusable is a
 * failure, not a skip.
 */
public class ExperimentSkipped extends RuntimeException {
    public ExperimentSkipped(String howToSupply) {
        super(howToSupply);
    }
}
