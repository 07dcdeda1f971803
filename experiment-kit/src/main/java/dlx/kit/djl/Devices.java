package dlx.kit.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Maps the platform's device choice to a DJL device, with a description of what is really used. */
public final class Devices {
    private Devices() { }

    /** GPU 0 when asked (or AUTO) and the engine sees one; CPU otherwise. GPU asked but absent is an error. */
    public static Device choose(dlx.api.Device requested) {
        EngineThreads.configure();
        int gpus = Engine.getInstance().getGpuCount();
        if (requested == dlx.api.Device.GPU && gpus == 0) {
            throw new IllegalStateException("--device gpu: DJL's " + Engine.getInstance().getEngineName()
                    + " engine sees no GPU (build with 'mvn -Pgpu package' for the CUDA build of libtorch)");
        }
        if (requested != dlx.api.Device.CPU && gpus > 0) {
            return Device.gpu(0);
        }
        return Device.cpu();
    }

    /** e.g. {@code PyTorch 2.7.1 on cpu()}. */
    public static String describe(Device device) {
        EngineThreads.configure();
        Engine e = Engine.getInstance();
        return e.getEngineName() + " " + e.getVersion() + " on " + device;
    }
}
