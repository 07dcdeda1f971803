package dlx.launcher.cli;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import picocli.CommandLine;

/** picocli creates the commands through the launcher's injector, so that they get what they need injected. */
public final class GuiceFactory implements CommandLine.IFactory {
    private final Injector injector;

    public GuiceFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type.getPackageName().equals(GuiceFactory.class.getPackageName())) {
            try {
                return injector.getInstance(type);
            } catch (ConfigurationException e) {
                // not a command (a picocli helper of this package): picocli makes it
            }
        }
        return CommandLine.defaultFactory().create(type);
    }
}
