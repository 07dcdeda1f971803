package dlx.kit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dlx.api.DataLocations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistLocateTest {
    @TempDir
    Path dir;

    private DataLocations data(Path user) {
        return new DataLocations() {
            @Override
            public Optional<Path> userDataDir() {
                return Optional.of(user);
            }

            @Override
            public Path cacheDir() {
                return dir.resolve("cache");
            }
        };
    }

    @Test
    void aUserFolderHoldingPartOfTheDataSetFailsNamingWhatIsMissing() throws IOException {
        Path user = Files.createDirectories(dir.resolve("data/fashion-mnist"));
        Files.write(user.resolve("train-images-idx3-ubyte.gz"), new byte[] {1});
        assertThatThrownBy(() -> FashionMnist.locate(Optional.empty(), data(dir.resolve("data"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(user.toString())
                .hasMessageContaining("t10k-labels-idx1-ubyte[.gz]")
                .hasMessageContaining("DLX_DATA");
    }

    @Test
    void aCompleteUserFolderWinsAndAFolderWithoutTheDataSetIsPassedOver() throws IOException {
        Path user = Files.createDirectories(dir.resolve("data"));
        for (String n : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.write(user.resolve(n), new byte[] {1});
        }
        assertThat(FashionMnist.locate(Optional.empty(), data(user))).isEqualTo(user);
        Path other = Files.createDirectories(dir.resolve("other"));
        if (Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) {
            assertThat(FashionMnist.locate(Optional.empty(), data(other))).isEqualTo(Path.of("/usr/share/datasets/fashion-mnist"));
        }
    }
}
