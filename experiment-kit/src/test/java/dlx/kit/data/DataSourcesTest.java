package dlx.kit.data;

import static org.assertj.core.api.Assertions.assertThat;

import dlx.api.DataLocations;
import dlx.api.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data sources: origins by where a folder lies, sizes, and digests that {@code sha256sum} reproduces. */
class DataSourcesTest {
    @TempDir
    Path tempDir;

    private static String shell(Path dir, String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.split("\\s+")[0];
    }

    @Test
    void oneFilesDigestIsSha256sumsAndSeveralFilesDigestIsThatOfSha256sumsLines() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("set"));
        Files.writeString(dir.resolve("b.txt"), "second\n");
        Files.writeString(dir.resolve("a.txt"), "first file\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/c.txt"), "third");

        DataSource one = DataSources.files("a", DataSource.Origin.PARAMETER, dir, List.of(dir.resolve("a.txt")));
        assertThat(one.sha256()).isEqualTo(shell(dir, "sha256sum a.txt"));
        assertThat(one.bytes()).isEqualTo(11);

        DataSource all = DataSources.folder("set", DataSource.Origin.USER_DATA, dir);
        assertThat(all.sha256()).isEqualTo(shell(dir, "sha256sum a.txt b.txt sub/c.txt | sha256sum"));
        assertThat(all.bytes()).isEqualTo(11 + 7 + 5);
        assertThat(all.location()).isEqualTo(dir.toAbsolutePath().normalize().toString());

        Files.writeString(dir.resolve("b.txt"), "changed\n");
        assertThat(DataSources.folder("set", DataSource.Origin.USER_DATA, dir).sha256()).isNotEqualTo(all.sha256());
    }

    @Test
    void theOriginIsTheParameterTheUsersDataFolderTheCacheOrASystemFolder() {
        Path user = tempDir.resolve("data");
        Path cache = tempDir.resolve("cache");
        DataLocations locations = new DataLocations() {
            @Override
            public Optional<Path> userDataDir() {
                return Optional.of(user);
            }

            @Override
            public Path cacheDir() {
                return cache;
            }
        };
        Path given = tempDir.resolve("given");
        assertThat(DataSources.origin(given.resolve("x"), Optional.of(given), locations)).isEqualTo(DataSource.Origin.PARAMETER);
        assertThat(DataSources.origin(user.resolve("fashion-mnist"), Optional.empty(), locations))
                .isEqualTo(DataSource.Origin.USER_DATA);
        assertThat(DataSources.origin(cache.resolve("fashion-mnist"), Optional.empty(), locations)).isEqualTo(DataSource.Origin.CACHE);
        assertThat(DataSources.origin(Path.of("/usr/share/datasets/fashion-mnist"), Optional.empty(), locations))
                .isEqualTo(DataSource.Origin.SYSTEM_PACKAGE);
    }

    @Test
    void aResourceIsNamedByItsPathAndJarWithTheDigestOfItsBytes() throws Exception {
        byte[] content;
        try (var in = DataSourcesTest.class.getResourceAsStream("sample-resource.txt")) {
            content = in.readAllBytes();
        }
        DataSource r = DataSources.resource("sample", DataSourcesTest.class, "sample-resource.txt", content);
        assertThat(r.origin()).isEqualTo(DataSource.Origin.PLUGIN_RESOURCE);
        assertThat(r.location()).startsWith("dlx/kit/data/sample-resource.txt in ");
        Path copy = tempDir.resolve("copy.txt");
        Files.write(copy, content);
        assertThat(r.sha256()).isEqualTo(shell(tempDir, "sha256sum copy.txt"));
        assertThat(r.bytes()).isEqualTo(Files.size(copy));
    }
}
