package dlx.api;

/** A parameter value that is unknown, malformed or out of range. The message names the parameter, the value and what is allowed. */
public class ParamException extends IllegalArgumentException {
    public ParamException(String message) {
        super(message);
    }
}
