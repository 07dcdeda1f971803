package dlx.clip;

import dlx.api.Configuration;
import dlx.api.DataSource;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamException;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.PlotSpec;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.api.TableSpec;
import dlx.kit.data.DataSources;
import dlx.kit.data.FashionMnist;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * {@code clip.caption-search}: for a caption, the gallery ranked by CLIP with softmax
 * probabilities (and a contact sheet of the top images); then the reverse, searching candidate
 * captions (given, or templates x words) for one that makes CLIP pick a chosen target image,
 * with every caption tried recorded. The default model folder comes from the platform's
 * configuration ({@code clip.model}).
 */
public final class CaptionSearchExperiment implements Experiment {
    static final String IMAGES = "images";
    static final String DATA_DIR = "dataDir";
    static final String GALLERY_SIZE = "gallerySize";
    static final String CAPTION = "caption";
    static final String TOP_K = "topK";
    static final String TARGET = "target";
    static final String CAPTIONS = "captions";
    static final String TEMPLATES = "templates";
    static final String WORDS = "words";
    static final String STOP_AT_FIRST = "stopAtFirst";
    static final int THUMB = 160;

    static {
        // The contact sheet is drawn with AWT, which must not look for a display.
        System.setProperty("java.awt.headless", "true");
    }

    private final Configuration configuration;

    @Inject
    public CaptionSearchExperiment(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("clip.caption-search")
                .title("CLIP caption search: which image a caption selects, and which caption selects an image")
                .description("Ranks a gallery of images by cosine similarity with a caption (softmax over the gallery, "
                        + "contact sheet of the top images); then tries candidate captions until CLIP picks the target image, "
                        + "recording every caption tried.")
                .param(ClipRuns.modelParam())
                .param(ParamSpec.path(IMAGES).help("gallery folder (all images under it, sorted by path); default: the first "
                        + "Fashion-MNIST test images"))
                .param(ParamSpec.path(DATA_DIR).help("folder of the Fashion-MNIST IDX files (for the default gallery)"))
                .param(ParamSpec.integer(GALLERY_SIZE, 100).quick(24).min(2).help("at most this many gallery images"))
                .param(ParamSpec.string(CAPTION, "a photo of a sneaker.").help("the caption whose best image is searched"))
                .param(ParamSpec.integer(TOP_K, 8).range(1, 64).help("images on the contact sheet and in the ranking answer"))
                .param(ParamSpec.string(TARGET, "0").help("target image of the reverse search: gallery index (0-based) or "
                        + "image name (path relative to the gallery folder, or file name)"))
                .param(ParamSpec.list(CAPTIONS, ParamType.STRING_LIST, "").help("candidate captions of the reverse search, "
                        + "tried in order (default: every template with every word)"))
                .param(ParamSpec.list(TEMPLATES, ParamType.STRING_LIST, "a photo of a {word}.,a picture of a {word}.")
                        .help("caption templates of the reverse search; {word} is replaced"))
                .param(ParamSpec.list(WORDS, ParamType.STRING_LIST, "t-shirt,trouser,pullover,dress,coat,sandal,shirt,"
                        + "sneaker,bag,ankle boot,shoe,boot,jacket,sweater,handbag,skirt,pants,top")
                        .help("words put into the templates of the reverse search"))
                .param(ParamSpec.bool(STOP_AT_FIRST, false).help("stop the reverse search at the first caption that picks the target"))
                .param(ClipRuns.batchSizeParam())
                .param(ClipRuns.logitScaleParam())
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        try (ClipModel model = ClipRuns.open(request, reporter, configuration)) {
            ImageSets.Images gallery = loadGallery(request, reporter);
            int target = resolveTarget(request.params().string(TARGET), gallery);
            List<String> candidates = candidates(request);
            String caption = request.params().string(CAPTION);
            double scale = model.logitScale();
            reporter.log("gallery of " + gallery.count() + " images; " + candidates.size() + " candidate captions");

            float[][] images;
            try (Progress progress = reporter.progress("encode gallery", gallery.count())) {
                images = model.encodeImages(gallery.count(), gallery::rgb, n -> {
                    request.checkCancelled();
                    progress.advance(n);
                });
            }
            reporter.metric("gallerySize", gallery.count());

            // Forward: which image does the caption select?
            float[] text = model.encodeTexts(List.of(caption))[0];
            double[] sims = Vectors.similarities(text, images);
            double[] probs = Vectors.softmax(sims, scale);
            List<Integer> order = rank(sims);
            int topK = Math.min(request.params().integer(TOP_K), gallery.count());
            List<Map<String, Object>> ranking = new ArrayList<>();
            TableSpec.Builder table = TableSpec.builder("ranking.csv", "rank", "index", "image", "cosine", "probability");
            for (int r = 0; r < order.size(); r++) {
                int i = order.get(r);
                if (r < topK) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("rank", r + 1);
                    row.put("index", i);
                    row.put("image", gallery.names().get(i));
                    row.put("cosine", sims[i]);
                    row.put("probability", probs[i]);
                    ranking.add(row);
                }
                table.row(r + 1, i, gallery.names().get(i), sims[i], probs[i]);
            }
            int selected = order.get(0);
            reporter.answer("caption", caption);
            reporter.answer("selectedImage", gallery.names().get(selected));
            reporter.answer("selectedIndex", selected);
            reporter.answer("selectedProbability", probs[selected]);
            reporter.answer("ranking", ranking);
            reporter.metric("selectedProbability", probs[selected]);
            reporter.metric("selectedCosine", sims[selected]);
            reporter.table(table.build());
            List<String> labels = new ArrayList<>();
            List<BufferedImage> thumbs = new ArrayList<>();
            for (int r = 0; r < topK; r++) {
                int i = order.get(r);
                thumbs.add(gallery.image(i));
                labels.add(String.format(Locale.ROOT, "#%d  p=%.3f", r + 1, probs[i]) + "|" + gallery.names().get(i));
            }
            writeContactSheet(request.outputDir().resolve("contact-sheet.png"), "\"" + caption + "\"", thumbs, labels);
            reporter.artifact("contact-sheet.png");
            reporter.log(String.format(Locale.ROOT, "'%s' selects %s (p=%.3f)", caption, gallery.names().get(selected), probs[selected]));

            // Reverse: which caption makes CLIP pick the target?
            reverseSearch(request, reporter, model, gallery, images, target, candidates, scale);
        }
    }

    private static void reverseSearch(RunRequest request, RunReporter reporter, ClipModel model, ImageSets.Images gallery,
                                      float[][] images, int target, List<String> candidates, double scale) throws Exception {
        boolean stopAtFirst = request.params().bool(STOP_AT_FIRST);
        reporter.answer("target", gallery.names().get(target));
        reporter.answer("targetIndex", target);
        List<Map<String, Object>> tried = new ArrayList<>();
        TableSpec.Builder table = TableSpec.builder("reverse-search.csv", "order", "caption", "pickedIndex", "pickedImage",
                "pickedTarget", "targetProbability", "targetRank");
        String first = null;
        String best = null;
        double bestProb = -1;
        int hits = 0;
        int batch = model.batchSize();
        try (Progress progress = reporter.progress("reverse search", candidates.size())) {
            outer:
            for (int start = 0; start < candidates.size(); start += batch) {
                request.checkCancelled();
                List<String> chunk = candidates.subList(start, Math.min(candidates.size(), start + batch));
                float[][] emb = model.encodeTexts(chunk);
                for (int j = 0; j < chunk.size(); j++) {
                    double[] sims = Vectors.similarities(emb[j], images);
                    double[] probs = Vectors.softmax(sims, scale);
                    int picked = Vectors.argmax(sims);
                    int rank = rank(sims).indexOf(target) + 1;
                    boolean hit = picked == target;
                    String c = chunk.get(j);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("caption", c);
                    row.put("pickedImage", gallery.names().get(picked));
                    row.put("pickedTarget", hit);
                    row.put("targetProbability", probs[target]);
                    row.put("targetRank", rank);
                    tried.add(row);
                    reporter.series("targetProbabilityByCaption").add(tried.size(), probs[target]);
                    table.row(tried.size(), c, picked, gallery.names().get(picked), hit, probs[target], rank);
                    progress.step();
                    if (probs[target] > bestProb) {
                        bestProb = probs[target];
                        best = c;
                    }
                    if (hit) {
                        hits++;
                        if (first == null) {
                            first = c;
                            reporter.log("'" + c + "' picks the target " + gallery.names().get(target));
                            if (stopAtFirst) {
                                break outer;
                            }
                        }
                    }
                }
            }
        }
        reporter.answer("captionsTried", tried);
        reporter.answer("targetPicked", first != null);
        reporter.answer("firstCaptionPickingTarget", first);
        reporter.answer("bestCaptionForTarget", best);
        reporter.answer("bestTargetProbability", bestProb);
        reporter.metric("captionsTried", tried.size());
        reporter.metric("captionsPickingTarget", hits);
        reporter.metric("bestTargetProbability", bestProb);
        reporter.table(table.build());
        reporter.plot(PlotSpec.lines("reverse-search.png", "Probability of the target image per caption tried",
                "caption (order tried)", "softmax probability of the target", "targetProbabilityByCaption"));
        if (first == null) {
            reporter.log("none of the " + tried.size() + " captions picks the target " + gallery.names().get(target));
        }
    }

    private static ImageSets.Images loadGallery(RunRequest request, RunReporter reporter) throws IOException {
        int limit = request.params().integer(GALLERY_SIZE);
        Optional<Path> folder = request.params().path(IMAGES);
        if (folder.isPresent()) {
            reporter.dataSource(DataSources.folder("gallery", DataSource.Origin.PARAMETER, folder.get()));
            return ImageSets.gallery(folder.get(), limit);
        }
        return ImageSets.fashionMnist(FashionMnist.locate(request.params().path(DATA_DIR), request.data(), reporter), limit);
    }

    /** The target image: a gallery index, or a name (relative path or file name). */
    static int resolveTarget(String target, ImageSets.Images gallery) {
        String t = target.trim();
        if (t.matches("\\d+")) {
            int i = Integer.parseInt(t);
            if (i >= gallery.count()) {
                throw new ParamException("parameter '" + TARGET + "' of clip.caption-search: index " + i
                        + " is outside the gallery of " + gallery.count() + " images");
            }
            return i;
        }
        for (int i = 0; i < gallery.count(); i++) {
            String name = gallery.names().get(i);
            if (name.equals(t) || Path.of(name).getFileName().toString().equals(t)) {
                return i;
            }
        }
        throw new ParamException("parameter '" + TARGET + "' of clip.caption-search: no gallery image is called '" + t
                + "' (the gallery holds " + gallery.names().subList(0, Math.min(5, gallery.count())) + (gallery.count() > 5 ? ", ..." : "")
                + "); give an index or an image name");
    }

    private static List<String> candidates(RunRequest request) {
        List<String> given = request.params().stringList(CAPTIONS);
        LinkedHashSet<String> out = new LinkedHashSet<>(given);
        if (given.isEmpty()) {
            for (String word : request.params().stringList(WORDS)) {
                for (String t : request.params().stringList(TEMPLATES)) {
                    out.add(ClipRuns.fill(t, word));
                }
            }
        }
        if (out.isEmpty()) {
            throw new ParamException("clip.caption-search needs candidate captions: give 'captions', or 'templates' and 'words'");
        }
        return new ArrayList<>(out);
    }

    /** Gallery indices by decreasing similarity (ties: lower index first). */
    static List<Integer> rank(double[] sims) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sims.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -sims[i]).thenComparingInt(i -> i));
        return order;
    }

    /** A grid of thumbnails (aspect kept, on white), each with "rank p=..." and the image name below, titled by the caption. */
    static void writeContactSheet(Path file, String title, List<BufferedImage> images, List<String> labels) throws IOException {
        int cols = Math.min(4, Math.max(1, images.size()));
        int rows = (images.size() + cols - 1) / cols;
        int cellW = THUMB + 56;
        int cellH = THUMB + 48;
        int header = 36;
        BufferedImage sheet = new BufferedImage(cols * cellW, header + rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(clip(g.getFontMetrics(), title, sheet.getWidth() - 16), 8, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics fm = g.getFontMetrics();
            for (int k = 0; k < images.size(); k++) {
                BufferedImage img = images.get(k);
                int x0 = (k % cols) * cellW + 28;
                int y0 = header + (k / cols) * cellH;
                double s = Math.min((double) THUMB / img.getWidth(), (double) THUMB / img.getHeight());
                int w = Math.max(1, (int) Math.round(img.getWidth() * s));
                int h = Math.max(1, (int) Math.round(img.getHeight() * s));
                g.drawImage(img, x0 + (THUMB - w) / 2, y0 + (THUMB - h) / 2, w, h, null);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x0 - 1, y0 - 1, THUMB + 1, THUMB + 1);
                g.setColor(Color.BLACK);
                String[] parts = labels.get(k).split("\\|", 2);
                g.drawString(clip(fm, parts[0], cellW - 8), x0 - 24, y0 + THUMB + 16);
                if (parts.length > 1) {
                    g.drawString(clip(fm, parts[1], cellW - 8), x0 - 24, y0 + THUMB + 32);
                }
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(sheet, "png", file.toFile());
    }

    private static String clip(FontMetrics fm, String s, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "...") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "...";
    }
}
