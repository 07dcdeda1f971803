package dlx.launcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dlx.launcher.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConfigTest {
    @TempDir
    Path dir;
    private static final String HASH = "$2y$10$" + "a".repeat(53);

    @Test
    void readsTlsFilesRelativeToItselfAndBcryptUsers() throws Exception {
        Files.writeString(dir.resolve("c.pem"), "x");
        Files.writeString(dir.resolve("k.pem"), "x");
        Path f = Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
                + "basic_auth_users:\n  alice: '" + HASH + "'\n");
        WebConfig c = WebConfig.load(f);
        assertThat(c.tls()).isTrue();
        assertThat(c.certFile()).isEqualTo(dir.resolve("c.pem").toAbsolutePath());
        assertThat(c.basicAuthUsers()).containsEntry("alice", HASH);
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndTheField() throws Exception {
        Path unknown = Files.writeString(dir.resolve("a.yml"), "tls_config:\n  cert_file: x\n");
        assertThatThrownBy(() -> WebConfig.load(unknown)).isInstanceOf(UsageException.class)
                .hasMessageContaining("a.yml").hasMessageContaining("unknown key tls_config");
        Path missing = Files.writeString(dir.resolve("b.yml"), "tls_server_config:\n  cert_file: nope.pem\n  key_file: nope.key\n");
        assertThatThrownBy(() -> WebConfig.load(missing)).hasMessageContaining("tls_server_config.cert_file")
                .hasMessageContaining("nope.pem");
        Path plain = Files.writeString(dir.resolve("c.yml"), "basic_auth_users:\n  alice: secret\n");
        assertThatThrownBy(() -> WebConfig.load(plain)).hasMessageContaining("basic_auth_users.alice")
                .hasMessageContaining("bcrypt");
        Path notYaml = Files.writeString(dir.resolve("d.yml"), "{ [ unbalanced");
        assertThatThrownBy(() -> WebConfig.load(notYaml)).hasMessageContaining("d.yml").hasMessageContaining("YAML");
    }
}
