package dlx.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnseededRandomnessTest {
    @TempDir
    Path src;

    @Test
    void reportsEachUnseededDrawAndNoSeededOne() throws Exception {
        Files.createDirectories(src.resolve("p"));
        Files.writeString(src.resolve("p/A.java"), String.join("\n",
                "class A {",
                "  double a = Math.random();",
                "  java.util.Random r = new Random();",
                "  java.util.Random s = new Random(seed + 1);",
                "  void f(java.util.List<String> list) { java.util.Collections.shuffle(list); }",
                "  void g(java.util.List<String> list) { java.util.Collections.shuffle(list, new Random(seed)); }",
                "  int t = java.util.concurrent.ThreadLocalRandom.current().nextInt();",
                "  java.util.SplittableRandom u = new SplittableRandom( );",
                "  java.util.SplittableRandom v = new SplittableRandom(seed * 31);",
                "}"));
        assertThat(UnseededRandomness.in(src)).extracting(l -> l.substring(0, l.indexOf(": ")))
                .containsExactly("p/A.java:2", "p/A.java:3", "p/A.java:5", "p/A.java:7", "p/A.java:8");
    }
}
