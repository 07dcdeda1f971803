package dlx.api;

import java.util.Optional;

/**
 * Platform configuration: a key {@code a.b} is read from the system property {@code dlx.a.b},
 * then from the environment variable {@code DLX_A_B}.
 */
public interface Configuration {
    Optional<String> get(String key);
}
