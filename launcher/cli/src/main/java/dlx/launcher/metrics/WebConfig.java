package dlx.launcher.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dlx.launcher.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The endpoint's web configuration, in the format of the Prometheus exporters' {@code --web.config.file}:
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt      # PEM certificate (chain)
 *   key_file: server.key       # PEM private key (PKCS#8, RSA or EC)
 * basic_auth_users:
 *   prometheus: $2y$10$...     # bcrypt hash (htpasswd -nBC 10)
 * </pre>
 * Relative file names are relative to the configuration file. Unknown keys are refused.
 */
public record WebConfig(Path certFile, Path keyFile, Map<String, String> basicAuthUsers) {

    public boolean tls() {
        return certFile != null;
    }

    public static WebConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UsageException("--web-config " + file + ": not readable YAML: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new UsageException("--web-config " + file + ": expected a mapping with tls_server_config and/or basic_auth_users");
        }
        only(file, "", root, Set.of("tls_server_config", "basic_auth_users"));
        Path cert = null;
        Path key = null;
        JsonNode tls = root.get("tls_server_config");
        if (tls != null) {
            only(file, "tls_server_config.", tls, Set.of("cert_file", "key_file"));
            cert = existing(file, "tls_server_config.cert_file", tls.get("cert_file"));
            key = existing(file, "tls_server_config.key_file", tls.get("key_file"));
        }
        Map<String, String> users = new LinkedHashMap<>();
        JsonNode auth = root.get("basic_auth_users");
        if (auth != null) {
            if (!auth.isObject()) {
                throw new UsageException("--web-config " + file + ": basic_auth_users must map user names to bcrypt hashes");
            }
            auth.fields().forEachRemaining(e -> {
                String hash = e.getValue().asText("");
                if (!hash.matches("\\$2[abxy]?\\$\\d\\d\\$.{53}")) {
                    throw new UsageException("--web-config " + file + ": basic_auth_users." + e.getKey()
                            + " is not a bcrypt hash (expected $2y$10$... as htpasswd -nBC 10 makes)");
                }
                users.put(e.getKey(), hash);
            });
        }
        return new WebConfig(cert, key, users);
    }

    private static void only(Path file, String prefix, JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            throw new UsageException("--web-config " + file + ": " + prefix + " must be a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new UsageException("--web-config " + file + ": unknown key " + prefix + k + " (known: " + allowed + ")");
            }
        }
    }

    private static Path existing(Path file, String field, JsonNode value) {
        if (value == null || value.asText("").isBlank()) {
            throw new UsageException("--web-config " + file + ": " + field + " is missing");
        }
        Path p = Path.of(value.asText());
        Path resolved = p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p);
        if (!Files.isReadable(resolved)) {
            throw new UsageException("--web-config " + file + ": " + field + " " + resolved + " is not a readable file");
        }
        return resolved;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
