package dlx.vision;

import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.data.FashionMnist;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * {@code dlx bench vision.bench-mlp}: throughput of the scratch MLP's training step over the
 * course's 10,000 training examples. The first epochs include JIT warm-up, so the median epoch is
 * the figure to compare (with the numpy peer's epoch time); CPU time of the training thread is
 * reported beside the wall time because the two differ on a shared machine. The CPU, its vector
 * extensions, the JVM's vector settings and the kernels used are recorded with the figures, so
 * that figures from different machines are never compared blind.
 */
public final class MlpBenchmarkExperiment implements Experiment {

    private final Configuration configuration;

    /** {@code configuration} chooses the scratch MLP's first-layer kernels ({@link FirstLayer#configured}). */
    @Inject
    public MlpBenchmarkExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("vision.bench-mlp")
                .title("Benchmark: scratch MLP training throughput (examples/s)")
                .description("Times epochs of the scratch 784-128-10 MLP (SGD, lr 0.01) on 10,000 Fashion-MNIST "
                        + "training examples; reports the median epoch wall time, CPU time and examples per second.")
                .benchmark()
                .param(ParamSpec.integer("epochs", 10).quick(3).range(1, 1000).help("epochs to time"))
                .param(ParamSpec.integer("batchSize", 5).range(1, 10000).help("mini-batch size"))
                .param(ParamSpec.decimal("momentum", 0).range(0, 0.999).help("SGD momentum (0: plain SGD)"))
                .param(ParamSpec.path("dataDir").help("folder with the Fashion-MNIST IDX files (default: DLX_DATA, Debian's package)"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        int epochs = request.params().integer("epochs");
        int batch = request.params().integer("batchSize");
        float momentum = (float) request.params().decimal("momentum");
        FashionMnist.Splits splits = FashionMnist.courseSplits(FashionMnist.locate(request.params().path("dataDir"), request.data(), reporter),
                request.seed(), VisionData.TRAIN, VisionData.VALIDATION, 0);
        SparseImages train = new SparseImages(splits.train());
        reporter.usedDevice("Java " + Runtime.version() + " (scratch MLP, 1 thread)");
        ScratchMlp net = new ScratchMlp(request.seed(), FirstLayer.configured(configuration));
        Map<String, Object> setup = setup(net);
        setup.forEach(reporter::answer);
        reporter.log("setup: " + setup);
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random rng = new Random(request.seed());
        double[] perSecond = new double[epochs];
        double[] seconds = new double[epochs];
        double[] cpuSeconds = new double[epochs];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (Progress progress = reporter.progress("epochs", epochs)) {
            for (int e = 0; e < epochs; e++) {
                request.checkCancelled();
                MlpTraining.shuffle(order, rng);
                long c0 = cpu.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int start = 0; start < order.length; start += batch) {
                    net.trainBatch(train, order, start, Math.min(batch, order.length - start), 0.01f, momentum);
                }
                seconds[e] = (System.nanoTime() - t0) / 1e9;
                cpuSeconds[e] = (cpu.getCurrentThreadCpuTime() - c0) / 1e9;
                perSecond[e] = train.count() / seconds[e];
                reporter.series("examplesPerSecondByEpoch").add(e + 1, perSecond[e]);
                progress.status(String.format("%,.0f examples/s", perSecond[e]));
                progress.step();
            }
        }
        reporter.metric("epochSeconds", MlpTraining.median(seconds));
        reporter.metric("epochCpuSeconds", MlpTraining.median(cpuSeconds));
        reporter.metric("examplesPerSecond", MlpTraining.median(perSecond));
        reporter.answer("trainAccuracyAfter", net.evaluate(train)[1]);
        reporter.log(String.format("median epoch %.4f s wall, %.4f s CPU, %,.0f examples/s", MlpTraining.median(seconds),
                MlpTraining.median(cpuSeconds), MlpTraining.median(perSecond)));
    }

    /**
     * What these figures depend on beyond the machine (the CPU, its vector extensions, HotSpot's
     * {@code UseAVX}/{@code MaxVectorSize} and the Vector API's species are in every result's
     * {@code environment}): the first layer's kernels and the threads used.
     */
    static Map<String, Object> setup(ScratchMlp net) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernels", net.kernels());
        m.put("threads", "1 (the scratch MLP trains on one thread; " + Runtime.getRuntime().availableProcessors()
                + " processors available)");
        return m;
    }
}
