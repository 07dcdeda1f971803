package dlx.api;

import java.util.Optional;

/**
 * The platform's configuration (injectable). A key {@code a.b} has one value, read once by the
 * launcher from the system property {@code dlx.a.b}, else the environment variable
 * {@code DLX_A_B}, else the platform's default; {@code dlx config} prints every key and where its
 * value came from. Plugins read their settings here instead of from the environment.
 */
public interface Configuration {

    Optional<String> get(String key);
}
