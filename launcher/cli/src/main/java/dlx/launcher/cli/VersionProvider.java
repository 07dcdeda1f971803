package dlx.launcher.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"dlx " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
