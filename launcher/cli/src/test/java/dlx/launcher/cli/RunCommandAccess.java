package dlx.launcher.cli;

import java.util.List;
import java.util.Map;

/** Test access to the package-private parameter parser. */
public final class RunCommandAccess {
    private RunCommandAccess() { }

    public static Map<String, String> parse(List<String> params) {
        return RunCommand.parseParams(params);
    }
}
