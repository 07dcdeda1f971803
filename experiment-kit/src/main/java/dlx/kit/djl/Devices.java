package dlx.kit.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dlx.kit.seeding.RunUsage;

/**
 * Maps the platform's device choice to a DJL device, with a description of what is really used.
 * The platform seeds DJL's engine before every run (the kit's {@code RunSeeding} service); choosing
 * seeds it again with the same seed, for callers outside the platform, and notes the device for
 * the result's {@code environment.determinism}.
 */
public final class Devices {
    private Devices() { }

    /**
     * The device for a run: configures the engine's threads, seeds the engine (and DJL's Java-side
     * generator) with the run's seed, then chooses as {@link #choose(dlx.api.Device)}.
     */
    public static Device choose(dlx.api.RunRequest request) {
        EngineThreads.configure();
        Engine.getInstance().setRandomSeed((int) request.seed());
        return choose(request.device());
    }

    /** GPU 0 when asked (or AUTO) and the engine sees one; CPU otherwise. GPU asked but absent is an error. */
    public static Device choose(dlx.api.Device requested) {
        EngineThreads.configure();
        int gpus = Engine.getInstance().getGpuCount();
        if (requested == dlx.api.Device.GPU && gpus == 0) {
            throw new IllegalStateException("--device gpu: DJL's " + Engine.getInstance().getEngineName()
                    + " engine sees no GPU (build with 'mvn -Pgpu package' for the CUDA build of libtorch)");
        }
        Device chosen = requested != dlx.api.Device.CPU && gpus > 0 ? Device.gpu(0) : Device.cpu();
        RunUsage.djl(chosen.toString(), EngineThreads.intraOp());
        return chosen;
    }

    /** e.g. {@code PyTorch 2.7.1 on cpu()}. */
    public static String describe(Device device) {
        EngineThreads.configure();
        Engine e = Engine.getInstance();
        return e.getEngineName() + " " + e.getVersion() + " on " + device;
    }
}
