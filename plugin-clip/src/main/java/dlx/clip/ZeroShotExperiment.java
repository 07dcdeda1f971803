package dlx.clip;

import dlx.api.BarChart;
import dlx.api.Configuration;
import dlx.api.DataSource;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.HeatMap;
import dlx.api.Labels;
import dlx.api.ParamException;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.api.TableSpec;
import dlx.kit.data.DataSources;
import dlx.kit.data.FashionMnist;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * {@code clip.zero-shot}: every class becomes captions from the templates; the class embedding
 * is the normalised mean of its captions' embeddings (computed once per run); each image gets
 * the class with the highest cosine similarity. Accuracy, per-class accuracy and the confusion
 * matrix (CSV and heat map) on the Fashion-MNIST test set or a folder of class subfolders. The
 * default model folder comes from the platform's configuration ({@code clip.model}).
 */
public final class ZeroShotExperiment implements Experiment {
    static final String IMAGES = "images";
    static final String DATA_DIR = "dataDir";
    static final String LIMIT = "limit";
    static final String TEMPLATES = "templates";
    static final String CLASS_NAMES = "classNames";

    private final Configuration configuration;

    @Inject
    public ZeroShotExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

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
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        try (ClipModel model = ClipRuns.open(request, reporter, configuration)) {
            ImageSets.Images data = load(request, reporter);
            List<String> classes = data.classes();
            List<String> names = request.params().stringList(CLASS_NAMES);
            if (names.isEmpty()) {
                names = classes;
            } else if (names.size() != classes.size()) {
                throw new ParamException("parameter '" + CLASS_NAMES + "' of clip.zero-shot: " + names.size()
                        + " names given, but the data set has " + classes.size() + " classes " + classes);
            }
            List<String> templates = request.params().stringList(TEMPLATES);
            if (templates.isEmpty()) {
                throw new ParamException("parameter '" + TEMPLATES + "' of clip.zero-shot needs at least one template");
            }
            reporter.log("zero-shot on " + data.count() + " images of " + classes.size() + " classes");

            ClassEmbeddings classEmb = ClassEmbeddings.of(model, names, templates);
            Map<String, List<String>> captions = new LinkedHashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                captions.put(classes.get(c), classEmb.captions().get(c));
            }
            reporter.answer("classes", classes);
            reporter.answer("captions", captions);

            double scale = model.logitScale();
            int k = classes.size();
            int[][] confusion = new int[k][k];
            TableSpec.Builder predictions = TableSpec.builder("predictions.csv", "index", "image", "trueClass",
                    "predictedClass", "correct", "predictedProbability", "trueClassProbability");
            long start = System.nanoTime();
            float[][] emb;
            try (Progress progress = reporter.progress("encode images", data.count())) {
                emb = model.encodeImages(data.count(), data::rgb, n -> {
                    request.checkCancelled();
                    progress.advance(n);
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int correct = 0;
            double sumTrue = 0;
            for (int i = 0; i < data.count(); i++) {
                double[] sims = Vectors.similarities(emb[i], classEmb.embeddings());
                double[] p = Vectors.softmax(sims, scale);
                int truth = data.labels()[i];
                int predicted = Vectors.argmax(sims);
                confusion[truth][predicted]++;
                correct += predicted == truth ? 1 : 0;
                sumTrue += p[truth];
                predictions.row(i, data.names().get(i), classes.get(truth), classes.get(predicted), predicted == truth,
                        p[predicted], p[truth]);
            }
            double accuracy = (double) correct / data.count();
            reporter.metric("accuracy", accuracy);
            reporter.metric("images", data.count());
            reporter.metric("classes", k);
            reporter.metric("meanTrueClassProbability", sumTrue / data.count());
            reporter.metric("imagesPerSecond", seconds > 0 ? data.count() / seconds : 0);
            reporter.answer("accuracy", accuracy);
            List<String> present = new ArrayList<>();
            List<Double> perClass = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                int total = IntStream.of(confusion[c]).sum();
                if (total > 0) {
                    present.add(classes.get(c));
                    perClass.add((double) confusion[c][c] / total);
                    reporter.answer("perClassAccuracy", Labels.of("class", classes.get(c)), perClass.get(perClass.size() - 1));
                }
            }
            reporter.answer("confusionMatrix", confusion);
            reporter.log(String.format(Locale.ROOT, "accuracy %.4f on %d images (%.1f images/s)", accuracy,
                    data.count(), data.count() / Math.max(seconds, 1e-9)));

            declareConfusion(reporter, classes, confusion);
            reporter.plot(BarChart.of("per-class-accuracy.png", "CLIP zero-shot accuracy per class (overall "
                    + String.format(Locale.ROOT, "%.3f", accuracy) + ")", "class", "accuracy", present, "accuracy", perClass));
            reporter.table(predictions.build());
        }
    }

    private static ImageSets.Images load(RunRequest request, RunReporter reporter) throws IOException {
        int limit = request.params().integer(LIMIT);
        Optional<Path> folder = request.params().path(IMAGES);
        if (folder.isPresent()) {
            reporter.dataSource(DataSources.folder("images", DataSource.Origin.PARAMETER, folder.get()));
            return ImageSets.classFolders(folder.get(), limit, request.seed());
        }
        Path dir = FashionMnist.locate(request.params().path(DATA_DIR), request.data(), reporter);
        return ImageSets.fashionMnist(dir, limit);
    }

    /** The confusion matrix as a table (rows: true class) and as a heat map. */
    private static void declareConfusion(RunReporter reporter, List<String> classes, int[][] confusion) {
        List<String> columns = new ArrayList<>();
        columns.add("true\\predicted");
        columns.addAll(classes);
        TableSpec.Builder table = TableSpec.builder("confusion-matrix.csv", columns);
        double[][] values = new double[classes.size()][];
        for (int r = 0; r < classes.size(); r++) {
            List<Object> row = new ArrayList<>();
            row.add(classes.get(r));
            IntStream.of(confusion[r]).forEach(row::add);
            table.row(row);
            values[r] = IntStream.of(confusion[r]).asDoubleStream().toArray();
        }
        reporter.table(table.build());
        reporter.plot(new HeatMap("confusion-matrix.png", "CLIP zero-shot confusion matrix (rows: true class, columns: predicted)",
                "predicted class", "true class", classes, classes, values));
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
                emb[c] = Vectors.normalize(sum);
            }
            return new ClassEmbeddings(captions, emb);
        }
    }
}
