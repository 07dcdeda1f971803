package dlx.clip;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Progress;
import dlx.api.RunContext;
import dlx.kit.data.FashionMnist;
import dlx.kit.plot.Charts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code clip.zero-shot}: every class becomes captions from the templates; the class embedding
 * is the normalised mean of its captions' embeddings (computed once per run); each image gets
 * the class with the highest cosine similarity. Accuracy, per-class accuracy and the confusion
 * matrix (CSV and heat map) on the Fashion-MNIST test set or a folder of class subfolders.
 */
public final class ZeroShotExperiment implements Experiment {
    static final String IMAGES = "images";
    static final String DATA_DIR = "dataDir";
    static final String LIMIT = "limit";
    static final String TEMPLATES = "templates";
    static final String CLASS_NAMES = "classNames";

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("clip.zero-shot")
                .title("CLIP zero-shot classification (accuracy, confusion matrix)")
                .description("Each class becomes captions from the templates ('a photo of a {class}.'); each image is "
                        + "assigned the class whose caption embedding has the highest cosine similarity with its image "
                        + "embedding. Runs on the Fashion-MNIST test set, or on a folder with one subfolder of images per class.")
                .param(ClipRuns.modelParam())
                .param(ParamSpec.path(IMAGES).help("folder with one subfolder of images per class (subfolder name = class); "
                        + "default: the Fashion-MNIST test set"))
                .param(ParamSpec.path(DATA_DIR).help("folder of the Fashion-MNIST IDX files (default: DLX_DATA, Debian's "
                        + "dataset-fashion-mnist, the download cache)"))
                .param(ParamSpec.integer(LIMIT, 10000).quick(100).min(1).help("at most this many images (Fashion-MNIST: "
                        + "the first ones; a folder: a seeded random subset)"))
                .param(ParamSpec.list(TEMPLATES, ParamType.STRING_LIST, "a photo of a {class}.")
                        .help("caption templates, {class} is replaced by the class name; several are averaged (prompt ensemble)"))
                .param(ParamSpec.list(CLASS_NAMES, ParamType.STRING_LIST, "")
                        .help("names used in the captions, one per class in order (default: the data set's class names)"))
                .param(ClipRuns.batchSizeParam())
                .param(ClipRuns.logitScaleParam())
                .build();
    }

    @Override
    public void run(RunContext ctx) throws Exception {
        try (ClipModel model = ClipRuns.open(ctx)) {
            ImageSets.Images data = load(ctx);
            List<String> classes = data.classes();
            List<String> names = ctx.params().stringList(CLASS_NAMES);
            if (names.isEmpty()) {
                names = classes;
            } else if (names.size() != classes.size()) {
                throw new dlx.api.ParamException("parameter '" + CLASS_NAMES + "' of clip.zero-shot: " + names.size()
                        + " names given, but the data set has " + classes.size() + " classes " + classes);
            }
            List<String> templates = ctx.params().stringList(TEMPLATES);
            if (templates.isEmpty()) {
                throw new dlx.api.ParamException("parameter '" + TEMPLATES + "' of clip.zero-shot needs at least one template");
            }
            ctx.log("zero-shot on " + data.count() + " images of " + classes.size() + " classes");

            ClassEmbeddings classEmb = ClassEmbeddings.of(model, names, templates);
            Map<String, List<String>> captions = new LinkedHashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                captions.put(classes.get(c), classEmb.captions().get(c));
            }
            ctx.answer("classes", classes);
            ctx.answer("captions", captions);

            double scale = model.logitScale();
            int k = classes.size();
            int[][] confusion = new int[k][k];
            int[] predicted = new int[data.count()];
            double[] trueProb = new double[data.count()];
            double[] topProb = new double[data.count()];
            long start = System.nanoTime();
            float[][] emb;
            try (Progress progress = ctx.progress("encode images", data.count())) {
                emb = model.encodeImages(data.count(), data::image, n -> {
                    ctx.checkCancelled();
                    progress.advance(n);
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int correct = 0;
            double sumTrue = 0;
            for (int i = 0; i < data.count(); i++) {
                double[] sims = classEmb.similarities(emb[i]);
                double[] p = ClipModel.softmax(sims, scale);
                predicted[i] = ClipModel.argmax(sims);
                trueProb[i] = p[data.labels()[i]];
                topProb[i] = p[predicted[i]];
                confusion[data.labels()[i]][predicted[i]]++;
                if (predicted[i] == data.labels()[i]) {
                    correct++;
                }
                sumTrue += trueProb[i];
            }
            double accuracy = (double) correct / data.count();
            Map<String, Double> perClass = new LinkedHashMap<>();
            for (int c = 0; c < k; c++) {
                int total = 0;
                for (int j = 0; j < k; j++) {
                    total += confusion[c][j];
                }
                if (total > 0) {
                    perClass.put(classes.get(c), (double) confusion[c][c] / total);
                }
            }
            ctx.metric("accuracy", accuracy);
            ctx.metric("images", data.count());
            ctx.metric("classes", k);
            ctx.metric("meanTrueClassProbability", sumTrue / data.count());
            ctx.metric("imagesPerSecond", seconds > 0 ? data.count() / seconds : 0);
            ctx.answer("accuracy", accuracy);
            ctx.answer("perClassAccuracy", perClass);
            ctx.answer("confusionMatrix", confusion);
            ctx.log(String.format(java.util.Locale.ROOT, "accuracy %.4f on %d images (%.1f images/s)", accuracy,
                    data.count(), data.count() / Math.max(seconds, 1e-9)));

            writeConfusion(ctx, classes, confusion);
            Charts.bars("CLIP zero-shot accuracy per class (overall " + String.format(java.util.Locale.ROOT, "%.3f", accuracy)
                            + ")", "class", "accuracy", new ArrayList<>(perClass.keySet()),
                    Map.of("accuracy", new ArrayList<>(perClass.values())), ctx.outputDir().resolve("per-class-accuracy.png"));
            ctx.artifact("per-class-accuracy.png");
            writePredictions(ctx, data, classes, predicted, trueProb, topProb);
        }
    }

    private static ImageSets.Images load(RunContext ctx) throws java.io.IOException {
        int limit = ctx.params().integer(LIMIT);
        Optional<Path> folder = ctx.params().path(IMAGES);
        if (folder.isPresent()) {
            return ImageSets.classFolders(folder.get(), limit, ctx.seed());
        }
        Path dir = FashionMnist.locate(ctx.params().path(DATA_DIR), ctx.data());
        return ImageSets.fashionMnist(dir, limit);
    }

    private static void writeConfusion(RunContext ctx, List<String> classes, int[][] confusion) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("true\\predicted");
        for (String c : classes) {
            csv.append(',').append(ClipRuns.csv(c));
        }
        csv.append('\n');
        double[][] values = new double[classes.size()][classes.size()];
        for (int r = 0; r < classes.size(); r++) {
            csv.append(ClipRuns.csv(classes.get(r)));
            for (int c = 0; c < classes.size(); c++) {
                csv.append(',').append(confusion[r][c]);
                values[r][c] = confusion[r][c];
            }
            csv.append('\n');
        }
        Files.writeString(ctx.outputDir().resolve("confusion-matrix.csv"), csv);
        ctx.artifact("confusion-matrix.csv");
        Charts.heatmap("CLIP zero-shot confusion matrix (rows: true class, columns: predicted)", classes, classes, values,
                ctx.outputDir().resolve("confusion-matrix.png"));
        ctx.artifact("confusion-matrix.png");
    }

    private static void writePredictions(RunContext ctx, ImageSets.Images data, List<String> classes, int[] predicted,
                                         double[] trueProb, double[] topProb) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("index,image,trueClass,predictedClass,correct,predictedProbability,trueClassProbability\n");
        for (int i = 0; i < data.count(); i++) {
            csv.append(i).append(',').append(ClipRuns.csv(data.names().get(i))).append(',')
                    .append(ClipRuns.csv(classes.get(data.labels()[i]))).append(',')
                    .append(ClipRuns.csv(classes.get(predicted[i]))).append(',')
                    .append(predicted[i] == data.labels()[i]).append(',')
                    .append(ClipRuns.fmt(topProb[i])).append(',').append(ClipRuns.fmt(trueProb[i])).append('\n');
        }
        Files.writeString(ctx.outputDir().resolve("predictions.csv"), csv);
        ctx.artifact("predictions.csv");
    }

    /** The classes' text embeddings, computed once per run: mean over templates of normalised caption embeddings, renormalised. */
    record ClassEmbeddings(List<List<String>> captions, float[][] embeddings) {
        static ClassEmbeddings of(ClipModel model, List<String> names, List<String> templates) throws ai.onnxruntime.OrtException {
            List<List<String>> captions = new ArrayList<>();
            List<String> flat = new ArrayList<>();
            for (String name : names) {
                List<String> mine = new ArrayList<>();
                for (String t : templates) {
                    mine.add(ClipRuns.fill(t, name));
                }
                captions.add(mine);
                flat.addAll(mine);
            }
            float[][] all = model.encodeTexts(flat);
            float[][] emb = new float[names.size()][];
            int idx = 0;
            for (int c = 0; c < names.size(); c++) {
                float[] sum = new float[all[0].length];
                for (int t = 0; t < templates.size(); t++) {
                    float[] e = all[idx++];
                    for (int d = 0; d < sum.length; d++) {
                        sum[d] += e[d];
                    }
                }
                emb[c] = ClipModel.normalize(sum);
            }
            return new ClassEmbeddings(captions, emb);
        }

        double[] similarities(float[] image) {
            double[] s = new double[embeddings.length];
            for (int c = 0; c < s.length; c++) {
                s[c] = ClipModel.dot(image, embeddings[c]);
            }
            return s;
        }
    }
}
