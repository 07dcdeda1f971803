package dlx.kit.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dlx.api.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Creates ONNX Runtime sessions on the CUDA execution provider when it really works, else on the
 * CPU. {@code getAvailableProviders()} only says what the build contains, so the CUDA provider is
 * tried and the failure caught; the provider actually used is returned with the session.
 */
public final class OrtSessions {
    private OrtSessions() { }

    /** A session and the execution provider it runs on ({@code CUDA} or {@code CPU}). */
    public record Opened(OrtSession session, String provider) implements AutoCloseable {
        @Override
        public void close() throws OrtException {
            session.close();
        }
    }

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * Opens {@code model}. With {@link Device#CPU} the CPU provider is used, with {@code settings};
     * with AUTO the CUDA provider is tried first; with GPU a CUDA failure is an error.
     */
    public static Opened open(Path model, Device device, OrtSettings settings, Consumer<String> log) throws OrtException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("ONNX model " + model + " does not exist");
        }
        OrtEnvironment env = environment();
        if (device != Device.CPU) {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.addCUDA(0);
                Opened opened = new Opened(env.createSession(model.toString(), options), "CUDA");
                dlx.kit.seeding.RunUsage.onnxRuntime(opened.provider());
                return opened;
            } catch (OrtException | RuntimeException | LinkageError e) {
                if (device == Device.GPU) {
                    throw new IllegalStateException("--device gpu: the CUDA execution provider of ONNX Runtime does not work here: "
                            + e.getMessage() + " (build with 'mvn -Pgpu package' for the GPU build of ONNX Runtime)", e);
                }
                log.accept("ONNX Runtime: CUDA execution provider not available (" + firstLine(e.getMessage())
                        + "); using the CPU provider");
            }
        }
        try (OrtSession.SessionOptions options = settings.cpuOptions()) {
            Opened opened = new Opened(env.createSession(model.toString(), options), "CPU");
            dlx.kit.seeding.RunUsage.onnxRuntime(opened.provider());
            return opened;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no reason given";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
