package dlx.launcher;

/** Bad usage: unknown id, unknown parameter, bad value. Exit code 2, nothing run. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
