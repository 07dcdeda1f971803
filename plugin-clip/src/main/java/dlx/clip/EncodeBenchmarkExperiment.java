package dlx.clip;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dlx.api.Configuration;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.data.FashionMnist;
import dlx.kit.onnx.OrtSettings;
import jakarta.inject.Inject;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code dlx bench clip.bench-encode}: how fast {@code clip.zero-shot} encodes images and texts
 * (items/s), next to a bare {@code OrtSession.run} loop over the very same batches on the same
 * session (so the same model, inputs and threads): the difference is what dlx adds around ONNX
 * Runtime (image preprocessing, tokenisation, tensors, copying the embeddings out). A third pass
 * runs dlx's path from the already preprocessed (tokenised) batches, which separates the cost of
 * preparing the inputs from that of calling ONNX Runtime. The three take turns batch by batch
 * (see {@link Kind}), {@code repeats} passes over all batches after untimed warm-up passes;
 * reported are the median throughputs and two ratios, medians over the passes of bare time / dlx
 * time (1 = no overhead), with the CPU, the session options and the thread settings.
 */
public final class EncodeBenchmarkExperiment implements Experiment {
    static final String IMAGES = "images";
    static final String TEXTS = "texts";
    static final String REPEATS = "repeats";
    static final String WARMUP = "warmup";
    /** The captions encoded: these templates with each class name, in turn. */
    static final List<String> TEMPLATES = List.of("a photo of a {class}.", "a picture of a {class}.",
            "a black and white photo of a {class}.");

    private final Configuration configuration;

    @Inject
    public EncodeBenchmarkExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("clip.bench-encode")
                .title("Benchmark: CLIP image and text encoding (items/s) against bare ONNX Runtime")
                .description("Encodes Fashion-MNIST test images and class captions as clip.zero-shot does (preprocessing, "
                        + "tokenisation, ONNX Runtime, normalised embeddings), batch by batch beside a bare OrtSession.run "
                        + "of the same batch on the same session; reports both throughputs and their ratio.")
                .benchmark()
                .param(ClipRuns.modelParam())
                .param(ParamSpec.path(ZeroShotExperiment.DATA_DIR).help("folder of the Fashion-MNIST IDX files"))
                .param(ParamSpec.integer(IMAGES, 10000).quick(64).range(1, 10000).help("test images encoded per pass "
                        + "(clip.zero-shot's full profile encodes all 10,000)"))
                .param(ParamSpec.integer(TEXTS, 2000).quick(32).min(1).help("captions encoded per pass"))
                .param(ParamSpec.integer(REPEATS, 7).quick(2).range(1, 100).help("timed passes of each kind"))
                .param(ParamSpec.integer(WARMUP, 3).quick(1).range(1, 100).help("untimed passes of each kind first (the "
                        + "JIT compiles dlx's Java path over the first few thousand items; ONNX Runtime's native code needs one)"))
                .param(ClipRuns.batchSizeParam())
                .param(ClipRuns.logitScaleParam())
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        int imageCount = request.params().integer(IMAGES);
        int textCount = request.params().integer(TEXTS);
        int repeats = request.params().integer(REPEATS);
        int warmup = request.params().integer(WARMUP);
        Path dir = FashionMnist.locate(request.params().path(ZeroShotExperiment.DATA_DIR), request.data());
        ImageSets.Images data = ImageSets.fashionMnist(dir, imageCount);
        List<String> captions = new ArrayList<>();
        for (int i = 0; captions.size() < textCount; i++) {
            captions.add(ClipRuns.fill(TEMPLATES.get(i % TEMPLATES.size()),
                    FashionMnist.CLASSES.get(i / TEMPLATES.size() % FashionMnist.CLASSES.size())));
        }
        List<ClipSessions.Prepared> imageRuns = new ArrayList<>();
        List<ClipSessions.Prepared> textRuns = new ArrayList<>();
        try (ClipModel model = ClipRuns.open(request, reporter, configuration)) {
            List<FloatBuffer> pixels = model.preprocessImages(data.count(), data::rgb);
            List<ClipTokenizer.Batch> tokens = model.tokenizeTexts(captions);
            imageRuns.addAll(model.imageRuns(pixels));
            textRuns.addAll(model.textRuns(tokens));
            Map<String, Object> setup = setup(model.provider(), OrtSettings.from(configuration));
            setup.forEach(reporter::answer);
            reporter.log("setup: " + setup);
            // Per batch: dlx as clip.zero-shot encodes it (preprocessing or tokenising, tensors, run,
            // embeddings copied out and normalised); dlx from the preprocessed batch; and bare.
            int batch = model.batchSize();
            List<List<Pass>> imageBatches = new ArrayList<>();
            for (int b = 0; b < pixels.size(); b++) {
                int start = b * batch;
                int n = Math.min(batch, data.count() - start);
                FloatBuffer px = pixels.get(b);
                ClipSessions.Prepared run = imageRuns.get(b);
                imageBatches.add(List.of(() -> model.encodeImages(n, i -> data.rgb(start + i), null),
                        () -> model.embedImages(px.duplicate()), () -> bare(run)));
            }
            List<List<Pass>> textBatches = new ArrayList<>();
            for (int b = 0; b < tokens.size(); b++) {
                List<String> part = captions.subList(b * batch, Math.min(captions.size(), (b + 1) * batch));
                ClipTokenizer.Batch ids = tokens.get(b);
                ClipSessions.Prepared run = textRuns.get(b);
                textBatches.add(List.of(() -> model.encodeTexts(part), () -> model.embedTexts(ids), () -> bare(run)));
            }
            Kind images = new Kind("images", "Images", "image", data.count(), imageBatches);
            Kind texts = new Kind("texts", "Texts", "text", captions.size(), textBatches);
            try (Progress progress = reporter.progress("passes", repeats + warmup)) {
                for (int rep = -warmup; rep < repeats; rep++) {
                    request.checkCancelled();
                    images.pass(rep);
                    texts.pass(rep);
                    progress.step();
                }
            }
            double[] img = images.report(reporter);
            double[] txt = texts.report(reporter);
            reporter.log(String.format(Locale.ROOT, "images/s: %.1f through dlx, %.1f from preprocessed batches, %.1f bare "
                    + "ONNX Runtime (ratios %.3f, %.3f); texts/s: %.1f through dlx, %.1f from token ids, %.1f bare (ratios "
                    + "%.3f, %.3f); batch %d, medians of %d passes", img[0], img[1], img[2], img[3], img[4], txt[0], txt[1],
                    txt[2], txt[3], txt[4], model.batchSize(), repeats));
        } finally {
            imageRuns.forEach(ClipSessions.Prepared::close);
            textRuns.forEach(ClipSessions.Prepared::close);
        }
    }

    private static void bare(ClipSessions.Prepared run) throws OrtException {
        try (OrtSession.Result ignored = run.run()) {
            // only the run is timed; the outputs are released unread
        }
    }

    /** One timed pass. */
    private interface Pass {
        void run() throws OrtException;
    }

    /**
     * Images or texts: the whole dlx path, dlx from prepared inputs, and the bare loop, timed batch
     * by batch side by side (the three ways of one batch, one after the other, in an order that
     * rotates from batch to batch and pass to pass), so that a slow spell of a shared machine
     * hits the three alike; a pass's time of each way is the sum over its batches.
     */
    private static final class Kind {
        private final String plural;
        private final String capitalised;
        private final String one;
        private final int items;
        private final List<List<Pass>> batches;
        private final List<List<Double>> perSecond = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        private final List<List<Double>> ratios = List.of(new ArrayList<>(), new ArrayList<>());

        Kind(String plural, String capitalised, String one, int items, List<List<Pass>> batches) {
            this.plural = plural;
            this.capitalised = capitalised;
            this.one = one;
            this.items = items;
            this.batches = batches;
        }

        /** Every batch each way once; a negative {@code rep} is an untimed warm-up pass. */
        void pass(int rep) throws OrtException {
            double[] seconds = new double[3];
            for (int b = 0; b < batches.size(); b++) {
                List<Pass> ways = batches.get(b);
                for (int k = 0; k < ways.size(); k++) {
                    int which = Math.floorMod(k + b + rep, ways.size());
                    long t0 = System.nanoTime();
                    ways.get(which).run();
                    seconds[which] += (System.nanoTime() - t0) / 1e9;
                }
            }
            if (rep >= 0) {
                for (int k = 0; k < seconds.length; k++) {
                    perSecond.get(k).add(items / seconds[k]);
                }
                ratios.get(0).add(seconds[2] / seconds[0]);
                ratios.get(1).add(seconds[2] / seconds[1]);
            }
        }

        /**
         * {plural}PerSecond (through dlx), {plural}PerSecondPrepared (from preprocessed / tokenised
         * batches), bare{Capitalised}PerSecond (medians over the passes, and a series each),
         * {one}ThroughputRatio and {one}InferenceRatio (medians of bare time / dlx time).
         */
        double[] report(RunReporter reporter) {
            String[] names = {plural + "PerSecond", plural + "PerSecondPrepared", "bare" + capitalised + "PerSecond"};
            double[] out = new double[5];
            for (int k = 0; k < names.length; k++) {
                for (int i = 0; i < perSecond.get(k).size(); i++) {
                    reporter.series(names[k]).add(i + 1, perSecond.get(k).get(i));
                }
                out[k] = median(perSecond.get(k));
                reporter.metric(names[k], out[k]);
            }
            out[3] = median(ratios.get(0));
            out[4] = median(ratios.get(1));
            reporter.metric(one + "ThroughputRatio", out[3]);
            reporter.metric(one + "InferenceRatio", out[4]);
            reporter.answer(one + "ThroughputRatio", out[3]);
            reporter.answer(one + "InferenceRatio", out[4]);
            return out;
        }
    }

    static double median(List<Double> v) {
        double[] c = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
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
        m.put("sessionOptions", ort.describe() + " (the bare loop runs on the same session)");
        m.put("threads", Runtime.getRuntime().availableProcessors() + " processors available; images are preprocessed "
                + "on the calling thread (in parallel on the common pool only when one takes over 0.2 ms)");
        return m;
    }
}
