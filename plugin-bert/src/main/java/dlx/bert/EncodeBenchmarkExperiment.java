package dlx.bert;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.onnx.InputTensors;
import dlx.kit.onnx.OrtSessions;
import dlx.kit.onnx.OrtSettings;
import dlx.kit.onnx.TextInputs;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code dlx bench bert.bench-encode}: how fast {@code bert.frozen} computes its [CLS] vectors
 * (sequences/s: tokenisation, padded batches of 64, ONNX Runtime, the [CLS] rows copied out),
 * next to a bare {@code OrtSession.run} loop over the very same padded batches, on a second
 * session of the same model with the same options (OrtSettings.cpuOptions, as dlx opens it). The
 * two take turns batch by batch (which goes first alternates), {@code repeats} passes over all
 * batches after untimed warm-up passes; reported are the median throughputs and the ratio, the median over the passes of bare
 * time / dlx time (1 = no overhead), with the CPU and thread settings.
 */
public final class EncodeBenchmarkExperiment implements Experiment {
    static final String REPEATS = "repeats";
    static final String WARMUP = "warmup";
    /** bert.frozen's batch size (Bert.encode). */
    static final int BATCH = 64;

    private final Configuration configuration;

    /** {@code configuration} gives the ONNX Runtime settings ({@link OrtSettings}), read when a run starts. */
    @Inject
    public EncodeBenchmarkExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("bert.bench-encode")
                .title("Benchmark: bert.frozen's encoding (sequences/s) against bare ONNX Runtime")
                .description("Encodes the 800 verbal-arithmetic sentences as bert.frozen does, batch by batch beside a "
                        + "bare OrtSession.run of the same padded batch; reports both throughputs and their ratio.")
                .benchmark()
                .param(Bert.encoderParam())
                .param(Bert.tweetNormalization())
                .param(ParamSpec.integer(REPEATS, 7).quick(2).range(1, 100).help("timed passes of each kind"))
                .param(ParamSpec.integer(WARMUP, 2).quick(1).range(1, 100).help("untimed passes of each kind first (the "
                        + "JIT compiles dlx's Java path; ONNX Runtime's native code needs one)"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        int repeats = request.params().integer(REPEATS);
        int warmup = request.params().integer(WARMUP);
        EncoderFolder folder = EncoderFolder.resolve(request.params().path(Bert.ENCODER), request.data().cacheDir());
        VerbalArithmetic.Split split = VerbalArithmetic.split(request.seed());
        reporter.dataSource(VerbalArithmetic.source(request.seed()));
        int sequences = split.train().size() + split.test().size();
        List<InputTensors> batches = new ArrayList<>();
        OrtSettings ort = OrtSettings.from(configuration);
        try (OnnxEncoder encoder = Bert.open(request, reporter, folder, ort);
             OrtSessions.Opened bare = OrtSessions.open(folder.model(), request.device(), ort, reporter::log)) {
            reporter.usedDevice("ONNX Runtime " + encoder.provider());
            reporter.answer("encoder", folder.name());
            // The batches Bert.encode makes: the training texts, then the test texts, 64 at a time.
            TextInputs inputs = TextInputs.of(bare.session());
            if (folder.fastBpe() || TokenizerFiles.robertaFamily(folder.dir())) {
                inputs = inputs.robertaPositions(encoder.padId());
            }
            List<List<String>> textBatches = new ArrayList<>();
            for (List<String> texts : List.of(VerbalArithmetic.texts(split.train()), VerbalArithmetic.texts(split.test()))) {
                for (int start = 0; start < texts.size(); start += BATCH) {
                    List<String> part = texts.subList(start, Math.min(texts.size(), start + BATCH));
                    OnnxEncoder.Batch b = encoder.tokenize(part);
                    textBatches.add(part);
                    batches.add(inputs.tensors(b.ids(), b.mask(), encoder.usesTokenTypes() ? b.types() : null));
                }
            }
            Map<String, Object> setup = setup(encoder.provider(), ort);
            setup.forEach(reporter::answer);
            reporter.log("setup: " + setup);
            double[] dlx = new double[repeats];
            double[] raw = new double[repeats];
            double[] ratio = new double[repeats];
            try (Progress progress = reporter.progress("passes", repeats + warmup)) {
                for (int rep = -warmup; rep < repeats; rep++) {
                    request.checkCancelled();
                    // Batch by batch side by side (which goes first alternates), so that a slow spell of a
                    // shared machine hits both alike; a pass's time is the sum over the batches.
                    double d = 0;
                    double r = 0;
                    for (int b = 0; b < batches.size(); b++) {
                        List<String> texts = textBatches.get(b);
                        InputTensors in = batches.get(b);
                        if ((b + rep) % 2 == 0) {
                            d += time(() -> encoder.cls(texts, BATCH));
                            r += time(() -> bare(bare.session(), in, encoder.outputName()));
                        } else {
                            r += time(() -> bare(bare.session(), in, encoder.outputName()));
                            d += time(() -> encoder.cls(texts, BATCH));
                        }
                    }
                    if (rep >= 0) {
                        dlx[rep] = sequences / d;
                        raw[rep] = sequences / r;
                        ratio[rep] = r / d;
                        reporter.series("sequencesPerSecond").add(rep + 1, dlx[rep]);
                        reporter.series("bareSequencesPerSecond").add(rep + 1, raw[rep]);
                    }
                    progress.step();
                }
            }
            double d = median(dlx);
            double r = median(raw);
            double q = median(ratio);
            reporter.metric("sequencesPerSecond", d);
            reporter.metric("bareSequencesPerSecond", r);
            reporter.metric("throughputRatio", q);
            reporter.answer("throughputRatio", q);
            reporter.answer("sequences", sequences);
            reporter.answer("batchSize", BATCH);
            reporter.log(String.format(Locale.ROOT, "%s: %.1f sequences/s through dlx, %.1f/s bare ONNX Runtime "
                    + "(ratio %.3f), medians of %d passes of %d sequences, batch by batch side by side", folder.name(), d, r, q, repeats, sequences));
        } finally {
            batches.forEach(InputTensors::close);
        }
    }

    /** One timed pass. */
    private interface Pass {
        void run() throws OrtException;
    }

    private static double time(Pass pass) throws OrtException {
        long t0 = System.nanoTime();
        pass.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The bare call: ONNX Runtime's run on a prepared batch, the output released unread. */
    private static void bare(OrtSession session, InputTensors batch, String output) throws OrtException {
        try (OrtSession.Result ignored = session.run(batch.map(), Set.of(output))) {
            // only the run is timed
        }
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }

    /**
     * What these figures depend on beyond the machine (the CPU, its vector extensions and the thread
     * settings are in every result's {@code environment}): the execution provider and the session
     * options dlx opens ONNX Runtime's sessions with ({@link OrtSettings#cpuOptions}).
     */
    static Map<String, Object> setup(String provider, OrtSettings ort) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executionProvider", provider);
        m.put("sessionOptions", ort.describe() + " (both sessions)");
        m.put("threads", Runtime.getRuntime().availableProcessors() + " processors available");
        return m;
    }
}
