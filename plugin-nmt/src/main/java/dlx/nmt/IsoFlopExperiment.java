package dlx.nmt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Params;
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.kit.train.TrainingListener;
import dlx.kit.train.TrainingState;
import dlx.kit.train.TrainingTask;
import dlx.nmt.data.CharCorpus;
import dlx.nmt.data.PigLatinData;
import dlx.nmt.model.DecoderOnlyLm;
import dlx.nmt.scaling.IsoFlopAnalysis;
import dlx.nmt.scaling.IsoFlopCell;
import dlx.nmt.scaling.IsoFlopCells;
import dlx.nmt.train.BatchSource;
import dlx.nmt.train.Seeds;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.TrainResult;
import dlx.nmt.train.Training;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * {@code nmt.isoflop} (CSC413 A3 §3.3): the {@code nmt.decoder-only} Pig Latin translator at several
 * widths, each trained at each compute budget of a doubling ladder (FLOPs = 6 × parameters × training
 * tokens, so the budget sets the number of steps); validation loss against ln N fitted by a quadratic
 * per budget; compute-optimal N and D against FLOPs fitted as lines in log-log space and
 * extrapolated; the {@code nmt.decoder-only} configuration compared with the compute-optimal size at
 * its own budget (§3.3.4). {@code corpus=shakespeare} runs the same study on the character language
 * model of {@code nmt.char-lm}.
 *
 * <p>The grid fans out: {@code onlyDim}/{@code onlyBudget} train part of it (one cell each, on a
 * cluster) and {@code fitFrom} fits the law from those runs' results; every cell seeds its own
 * model, so the fit equals that of the study run in one process.
 */
public final class IsoFlopExperiment implements Experiment {
    static final String ID = "nmt.isoflop";
    /**
     * Parameters that do not change how a cell is trained: which cells to train or where to read them,
     * the grid (a cell is the same training in any grid), and the analysis. Every other parameter is
     * the configuration that cells read by {@code fitFrom} must share.
     */
    static final Set<String> NOT_TRAINING = Set.of("onlyDim", "onlyBudget", "fitFrom", "dims", "budgets", "profile",
            "extrapolateTo", "setupDim", "setupSteps", "optimalFactor");

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder(ID)
                .title("IsoFLOP scaling law of the decoder-only translator")
                .description("Trains the nmt.decoder-only model at each width and compute budget (steps = FLOPs / (6 N "
                        + "tokens per step)), plots validation loss against FLOPs per size, fits loss vs ln N by a "
                        + "quadratic per budget (a budget whose minimum lies outside the sizes tried is reported in "
                        + "fitWarnings and left out), fits ln N_opt and ln D_opt against ln C, and compares the "
                        + "nmt.decoder-only configuration with the compute-optimal size at its budget.")
                .param(ParamSpec.choice("corpus", "pig-latin", "pig-latin", "shakespeare")
                        .help("pig-latin: the nmt.decoder-only translator (the course's study); shakespeare: the char LM"))
                .param(ParamSpec.choice("dataset", "large", "small", "large").quick("small")
                        .help("Pig Latin word set (nmt.decoder-only: large)"))
                .param(ParamSpec.list("dims", ParamType.INT_LIST, "16,24,32,48,64,96").quick("8,16,32")
                        .min(2).help("model widths (at least three)"))
                .param(ParamSpec.integer("layers", 2).quick(1).range(1, 48).help("transformer blocks of every size"))
                .param(ParamSpec.integer("heads", 4).quick(2).range(1, 64).help("attention heads (must divide every width)"))
                .param(ParamSpec.list("budgets", ParamType.DOUBLE_LIST, "8e10,1.6e11,3.2e11,6.4e11,1.28e12")
                        .quick("1e9,2e9").min(1).help("compute budgets in FLOPs"))
                .param(ParamSpec.integer("batchSize", 64).range(1, 4096)
                        .help("pairs per batch (pig-latin, one length group) or windows per batch (shakespeare)"))
                .param(ParamSpec.integer("context", 32).range(2, 1024).help("context length (shakespeare only)"))
                .param(ParamSpec.decimal("learningRate", 3e-3).quick(1e-2).range(1e-6, 1).help("AdamW peak learning rate"))
                .param(ParamSpec.integer("validationBatches", 10).quick(2).range(1, 10000)
                        .help("fixed validation batches (shakespeare only; pig-latin validates on every validation pair)"))
                .param(ParamSpec.decimal("extrapolateTo", 1e15).min(1).help("budget to extrapolate N_opt and D_opt to"))
                .param(ParamSpec.integer("setupDim", 64).range(4, 1024)
                        .help("width of the nmt.decoder-only configuration compared at its budget (pig-latin)"))
                .param(ParamSpec.integer("setupSteps", 6000).range(1, 100000000)
                        .help("training steps of that configuration (nmt.decoder-only: 30 epochs x 200)"))
                .param(ParamSpec.decimal("optimalFactor", 2).range(1, 1000)
                        .help("the configuration counts as compute-optimal when its N is within this factor of N_opt"))
                .param(ParamSpec.integer("onlyDim", 0).min(0)
                        .help("train only this width of dims (0: all); for a grid fanned out over cluster tasks"))
                .param(ParamSpec.decimal("onlyBudget", 0).min(0)
                        .help("train only this budget of budgets (0: all); for a grid fanned out over cluster tasks"))
                .param(ParamSpec.path("fitFrom").help("train nothing: fit the law from the cells recorded by runs of this "
                        + "configuration in this results folder (<folder>/nmt.isoflop/<run id>/result.json)"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        Params p = request.params();
        List<Integer> dims = p.intList("dims");
        List<Double> budgets = p.doubleList("budgets");
        validateGrid(p, dims, budgets);
        boolean pigLatin = p.string("corpus").equals("pig-latin");
        Optional<Path> fitFrom = p.path("fitFrom");
        PigLatinData data = pigLatin ? new PigLatinData(WordList.top(p.string("dataset").equals("small") ? WordList.SMALL
                : WordList.LARGE), request.seed()) : null;
        if (pigLatin) {
            WordList.pigLatinSources(p.string("dataset").equals("small") ? WordList.SMALL : WordList.LARGE, request.seed())
                    .forEach(reporter::dataSource);
        }
        List<IsoFlopCell> cells;
        if (fitFrom.isPresent()) {
            cells = IsoFlopCells.read(fitFrom.get(), ID, p.asMap(), NOT_TRAINING, dims, budgets);
            reporter.log("fitting " + cells.size() + " cells read from " + fitFrom.get());
        } else {
            cells = train(request, reporter, data, dims, budgets);
        }
        for (IsoFlopCell c : cells) {
            Labels labels = Labels.of("budget", IsoFlopCell.budgetLabel(c.budget()), "dim", Integer.toString(c.dim()));
            reporter.metric("finalValLoss", labels, c.valLoss());
            reporter.metric("flops", labels, c.flops());
            reporter.answer("parametersByDim", Labels.of("dim", Integer.toString(c.dim())), c.parameters());
        }
        reporter.answer("cells", cells.stream().map(IsoFlopCell::toMap).toList());
        if (p.integer("onlyDim") != 0 || p.decimal("onlyBudget") != 0) {
            reporter.log("trained " + cells.size() + " of " + dims.size() * budgets.size() + " cells; fit the law from all "
                    + "cells with --param fitFrom=<results folder>");
            return;
        }
        analyse(request, reporter, data, cells);
    }

    private static void validateGrid(Params p, List<Integer> dims, List<Double> budgets) {
        if (dims.size() < 3 || new HashSet<>(dims).size() != dims.size()) {
            throw new IllegalArgumentException("dims " + dims + ": a quadratic fit per budget needs at least three distinct widths");
        }
        Set<String> labels = new HashSet<>();
        for (double b : budgets) {
            if (!labels.add(IsoFlopCell.budgetLabel(b))) {
                throw new IllegalArgumentException("budgets " + budgets + ": two budgets share the label " + IsoFlopCell.budgetLabel(b)
                        + " (three significant digits)");
            }
        }
        if (p.integer("onlyDim") != 0 && !dims.contains(p.integer("onlyDim"))) {
            throw new IllegalArgumentException("onlyDim=" + p.integer("onlyDim") + " is not one of dims " + dims);
        }
        if (p.decimal("onlyBudget") != 0 && !budgets.contains(p.decimal("onlyBudget"))) {
            throw new IllegalArgumentException("onlyBudget=" + p.decimal("onlyBudget") + " is not one of budgets " + budgets);
        }
        if (p.path("fitFrom").isPresent() && (p.integer("onlyDim") != 0 || p.decimal("onlyBudget") != 0)) {
            throw new IllegalArgumentException("fitFrom reads every cell; it does not go with onlyDim or onlyBudget");
        }
    }

    /** Trains the cells of the grid that this run covers, budget by budget. */
    private List<IsoFlopCell> train(RunRequest request, RunReporter reporter, PigLatinData data, List<Integer> dims,
                                    List<Double> budgets) throws Exception {
        Params p = request.params();
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        int batch = p.integer("batchSize");
        CharCorpus corpus = data == null ? new CharCorpus(CharLmExperiment.text(), 0.9) : null;
        BatchSource source = data != null ? data.batches(PigLatinData.Layout.DECODER_ONLY, batch)
                : corpus.batches(p.integer("context"), batch, p.integer("validationBatches"), request.seed());
        double tokensPerStep = tokensPerStep(p, data);
        int onlyDim = p.integer("onlyDim");
        double onlyBudget = p.decimal("onlyBudget");
        List<IsoFlopCell> cells = new ArrayList<>();
        long total = (onlyDim == 0 ? dims.size() : 1) * (long) (onlyBudget == 0 ? budgets.size() : 1);
        try (Progress progress = reporter.progress("isoflop cells", total)) {
            for (double flops : budgets) {
                for (int dim : dims) {
                    if ((onlyDim != 0 && dim != onlyDim) || (onlyBudget != 0 && flops != onlyBudget)) {
                        continue;
                    }
                    request.checkCancelled();
                    cells.add(trainCell(request, device, data, corpus, source, tokensPerStep, dim, flops));
                    IsoFlopCell c = cells.get(cells.size() - 1);
                    reporter.log(String.format(Locale.ROOT, "C=%s N=%d steps=%d val loss %.4f", IsoFlopCell.budgetLabel(flops),
                            c.parameters(), c.steps(), c.valLoss()));
                    progress.step();
                }
            }
        }
        return cells;
    }

    /**
     * One cell: the model of this width, its engine seeded from the run's seed and the width (so it
     * starts from the same weights at every budget and in every process), trained for
     * round(C / (6 N tokens per step)) steps with the cosine schedule over exactly those steps.
     */
    private static IsoFlopCell trainCell(RunRequest request, Device device, PigLatinData data, CharCorpus corpus,
                                         BatchSource source, double tokensPerStep, int dim, double flops) throws Exception {
        Params p = request.params();
        Seeds.engine(Seeds.derive(request.seed(), dim));
        try (Model model = Model.newInstance("isoflop-d" + dim, device)) {
            if (data != null) {
                PigLatinModel.decoderOnly(dim, p.integer("heads"), p.integer("layers")).buildInto(model);
            } else {
                DecoderOnlyLm lm = new DecoderOnlyLm(corpus.vocabSize(), dim, p.integer("heads"), p.integer("layers"),
                        p.integer("context"));
                model.setBlock(lm);
                lm.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, p.integer("context")));
            }
            long n = CharLmExperiment.parameterCount(model);
            int steps = (int) Math.max(1, Math.round(flops / (6.0 * n * tokensPerStep)));
            long[] tokens = {0};
            TrainingListener counter = new TrainingListener() {
                @Override
                public void onStep(TrainingState state, TrainingTask.Step step) {
                    tokens[0] += step.items();
                }
            };
            TrainConfig cfg = TrainConfig.of("d" + dim, 1, steps, (float) p.decimal("learningRate"), request.seed());
            TrainResult r = Training.of(model, source, cfg).listener(counter).cancellation(request.cancellation()).run();
            return new IsoFlopCell(flops, dim, n, steps, tokens[0], 6.0 * n * tokens[0], r.finalValLoss());
        }
    }

    /** Tokens a training step processes on average: exact for windows, the batches' expectation for word pairs. */
    private static double tokensPerStep(Params p, PigLatinData data) {
        int batch = p.integer("batchSize");
        return data == null ? (double) batch * p.integer("context")
                : data.expectedPerBatch(batch, PigLatinData.Layout.DECODER_ONLY::tokens);
    }

    /** The fits, the answers and the plots, from the cells of the whole grid. */
    private static void analyse(RunRequest request, RunReporter reporter, PigLatinData data, List<IsoFlopCell> cells)
            throws Exception {
        Params p = request.params();
        for (IsoFlopCell c : cells) {
            reporter.series("lossByParams", Labels.of("budget", IsoFlopCell.budgetLabel(c.budget())))
                    .add(c.parameters(), c.valLoss());
            reporter.series("valLossByFlops", Labels.of("dim", Integer.toString(c.dim()))).add(c.flops(), c.valLoss());
        }
        IsoFlopAnalysis analysis = new IsoFlopAnalysis(cells.stream().map(IsoFlopCell::run).toList());
        reporter.answer("largerAlwaysBetter", analysis.largerAlwaysBetter());
        reporter.answer("largerWorseAt", analysis.largerWorse().stream().map(IsoFlopCell::budgetLabel).toList());
        Map<String, String> details = new LinkedHashMap<>();
        for (IsoFlopAnalysis.BudgetFit f : analysis.budgets()) {
            Labels budget = Labels.of("budget", IsoFlopCell.budgetLabel(f.flops()));
            if (f.bracketed()) {
                reporter.answer("optimalParamsPerBudget", budget, f.nOpt());
                reporter.answer("optimalTokensPerBudget", budget, f.dOpt());
                reporter.series("nOptByFlops").add(f.flops(), f.nOpt());
                reporter.series("tokensOptByFlops").add(f.flops(), f.dOpt());
            } else {
                details.put(IsoFlopCell.budgetLabel(f.flops()), f.warning());
                reporter.log("budget " + IsoFlopCell.budgetLabel(f.flops()) + ": " + f.warning()
                        + "; left out of the exponent fit");
            }
        }
        reporter.answer("fitWarnings", List.copyOf(details.keySet()));
        reporter.answer("fitWarningDetails", details);
        reporter.metric("bracketedBudgets", analysis.budgets().size() - details.size());
        plotCurves(reporter, analysis, cells);
        if (!analysis.hasLaw()) {
            reporter.log("fewer than two budgets bracket their optimum: no exponents, no extrapolation (see fitWarnings)");
            return;
        }
        double target = p.decimal("extrapolateTo");
        reporter.answer("nOptAt1e15", analysis.nOptAt(target));
        reporter.answer("tokensOptAt1e15", analysis.tokensOptAt(target));
        reporter.answer("nOptExponent", analysis.nOptExponent());
        reporter.answer("tokensOptExponent", analysis.tokensOptExponent());
        reporter.metric("nOptExponent", analysis.nOptExponent());
        reporter.metric("tokensOptExponent", analysis.tokensOptExponent());
        double[] setup = data == null ? null : setup(request, reporter, data, analysis);
        double lo = analysis.budgets().stream().mapToDouble(IsoFlopAnalysis.BudgetFit::flops).min().orElse(1);
        double hi = Math.max(target, setup == null ? 0 : setup[0]);
        reporter.plot(optimumPlot("n-opt-vs-flops.png", "N_opt (parameters)", "nOptByFlops", analysis::nOptAt,
                analysis.nOptExponent(), lo, hi, setup == null ? null : new double[] {setup[0], setup[1]}));
        reporter.plot(optimumPlot("tokens-opt-vs-flops.png", "D_opt (tokens)", "tokensOptByFlops", analysis::tokensOptAt,
                analysis.tokensOptExponent(), lo, hi, setup == null ? null : new double[] {setup[0], setup[2]}));
    }

    /**
     * §3.3.4: the nmt.decoder-only configuration (width {@code setupDim}, {@code setupSteps} steps of the
     * study's batches) against the fitted compute-optimal size at its budget. Returns {C, N, D}.
     */
    private static double[] setup(RunRequest request, RunReporter reporter, PigLatinData data, IsoFlopAnalysis analysis)
            throws Exception {
        Params p = request.params();
        long n;
        try (Model model = Model.newInstance("setup", Device.cpu())) {
            PigLatinModel.decoderOnly(p.integer("setupDim"), p.integer("heads"), p.integer("layers")).buildInto(model);
            n = CharLmExperiment.parameterCount(model);
        }
        double tokens = p.integer("setupSteps") * tokensPerStep(p, data);
        double flops = 6.0 * n * tokens;
        double nOpt = analysis.nOptAt(flops);
        double dOpt = analysis.tokensOptAt(flops);
        double factor = p.decimal("optimalFactor");
        double ratio = n / nOpt;
        boolean optimal = ratio <= factor && ratio >= 1 / factor;
        String advice;
        if (optimal) {
            advice = String.format(Locale.ROOT, "keep it: %,d parameters are within a factor %.3g of N_opt = %,.0f at "
                    + "%.3g FLOPs", n, factor, nOpt, flops);
        } else if (ratio > 1) {
            advice = String.format(Locale.ROOT, "too large for its budget: at the same %.3g FLOPs train a smaller model "
                    + "(N_opt = %,.0f parameters, %.3gx fewer) on more tokens (D_opt = %.3g instead of %.3g)", flops, nOpt,
                    ratio, dOpt, tokens);
        } else {
            advice = String.format(Locale.ROOT, "too small for its budget: at the same %.3g FLOPs train a larger model "
                    + "(N_opt = %,.0f parameters, %.3gx more) on fewer tokens (D_opt = %.3g instead of %.3g)", flops, nOpt,
                    1 / ratio, dOpt, tokens);
        }
        reporter.answer("setupFlops", flops);
        reporter.answer("setupParams", n);
        reporter.answer("setupTokens", tokens);
        reporter.answer("optimalParamsAtSetupFlops", nOpt);
        reporter.answer("optimalTokensAtSetupFlops", dOpt);
        reporter.answer("setupComputeOptimal", optimal);
        reporter.answer("setupAdvice", advice);
        reporter.log("nmt.decoder-only configuration: " + advice);
        return new double[] {flops, n, tokens};
    }

    /** Loss against N per budget (the measured points and each fit) and loss against FLOPs per size (§3.3.1). */
    private static void plotCurves(RunReporter reporter, IsoFlopAnalysis analysis, List<IsoFlopCell> cells) {
        List<LinePlot.Line> curves = new ArrayList<>();
        for (IsoFlopAnalysis.BudgetFit f : analysis.budgets()) {
            String label = "C=" + IsoFlopCell.budgetLabel(f.flops()) + (f.bracketed() ? "" : " (not bracketed)");
            curves.add(points(label, "lossByParams", Labels.of("budget", IsoFlopCell.budgetLabel(f.flops()))));
            double[] q = f.coefficients();
            double lo = Math.log(f.smallest());
            double hi = Math.log(f.largest());
            List<double[]> fit = new ArrayList<>();
            for (int i = 0; i <= 40; i++) {
                double x = lo + (hi - lo) * i / 40.0;
                fit.add(new double[] {Math.exp(x), q[0] + q[1] * x + q[2] * x * x});
            }
            curves.add(line(label + " fit", fit));
        }
        reporter.plot(new LinePlot("isoflop-curves.png", "nmt.isoflop: validation loss vs parameters, per budget",
                "parameters N", "validation cross-entropy (nats)", curves, true, false, AUTO, AUTO));
        LinePlot.Builder byFlops = LinePlot.builder("loss-vs-flops.png", "nmt.isoflop: validation loss vs FLOPs, per model size",
                "training FLOPs", "validation cross-entropy (nats)").logX();
        cells.stream().map(IsoFlopCell::dim).distinct().forEach(dim -> byFlops.series("valLossByFlops",
                Labels.of("dim", Integer.toString(dim)), "N=" + cells.stream().filter(c -> c.dim() == dim).findFirst()
                        .orElseThrow().parameters() + " (width " + dim + ")"));
        reporter.plot(byFlops.build());
    }

    private static final LinePlot.Range AUTO = new LinePlot.Range(null, null);

    private static LinePlot optimumPlot(String file, String what, String series, DoubleUnaryOperator fitted,
                                        double exponent, double lo, double hi, double[] setup) {
        List<double[]> line = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            double c = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / 20.0);
            line.add(new double[] {c, fitted.applyAsDouble(c)});
        }
        List<LinePlot.Line> lines = new ArrayList<>(List.of(points("IsoFLOP minima", series, Labels.NONE),
                line(String.format(Locale.ROOT, "fit, exponent %.3f", exponent), line)));
        if (setup != null) {
            lines.add(new LinePlot.Line("nmt.decoder-only configuration", null, Labels.NONE, false, List.of(setup),
                    LinePlot.Style.POINTS));
        }
        return new LinePlot(file, "nmt.isoflop: " + what + " vs compute", "FLOPs", what, lines, true, true, AUTO, AUTO);
    }

    /** A recorded series drawn as markers. */
    private static LinePlot.Line points(String legend, String series, Labels labels) {
        return new LinePlot.Line(legend, series, labels, false, null, LinePlot.Style.POINTS);
    }

    private static LinePlot.Line line(String legend, List<double[]> points) {
        return new LinePlot.Line(legend, null, Labels.NONE, false, points, LinePlot.Style.LINE);
    }
}
