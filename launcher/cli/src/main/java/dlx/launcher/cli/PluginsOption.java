package dlx.launcher.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --plugins DIR}, shared by every command that opens the catalogue. */
final class PluginsOption {
    @Option(names = "--plugins", paramLabel = "DIR",
            description = "plugins folder (default: $DLX_PLUGINS, else the distribution's plugins/)")
    Path folder;
}
