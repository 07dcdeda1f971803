package dlx.kit.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CPU session options every ONNX Runtime session of the kit gets. */
class OrtSessionsTest {
    @AfterEach
    void clearProperties() {
        System.clearProperty(OrtSessions.INTRA_OP_THREADS);
        System.clearProperty(OrtSessions.ALLOW_SPINNING);
    }

    @Test
    void poolThreadsDoNotSpinAndTheirNumberIsOnnxRuntimesUnlessSet() throws Exception {
        assertThat(OrtSessions.allowSpinning()).isFalse();
        assertThat(OrtSessions.intraOpThreads()).isZero();
        assertThat(OrtSessions.describeCpuOptions()).contains("allow_spinning=0", "ONNX Runtime's default");
        try (OrtSession.SessionOptions o = OrtSessions.cpuOptions()) {
            assertThat(o.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "0");
        }
        System.setProperty(OrtSessions.INTRA_OP_THREADS, "3");
        System.setProperty(OrtSessions.ALLOW_SPINNING, "true");
        assertThat(OrtSessions.describeCpuOptions()).contains("intra-op threads 3", "allow_spinning=1");
        try (OrtSession.SessionOptions o = OrtSessions.cpuOptions()) {
            assertThat(o.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "1");
        }
    }

    @Test
    void aThreadCountThatIsNoneIsRefusedWithThePropertyNamed() {
        System.setProperty(OrtSessions.INTRA_OP_THREADS, "-2");
        assertThatThrownBy(OrtSessions::intraOpThreads).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Ddlx.ort.intraOpThreads=-2").hasMessageContaining(">= 0");
    }
}
