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
import dlx.api.Progress;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.djl.Devices;
import dlx.nmt.data.CharCorpus;
import dlx.nmt.model.DecoderOnlyLm;
import dlx.nmt.scaling.IsoFlopAnalysis;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.TrainResult;
import dlx.nmt.train.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * {@code nmt.isoflop}: decoder-only character transformers of six widths trained on tiny
 * Shakespeare at a doubling ladder of compute budgets (FLOPs = 6 × parameters × training tokens,
 * parameters counted from the built model); validation loss against ln N fitted by a quadratic per
 * budget; compute-optimal N and D against FLOPs fitted as lines in log-log space and extrapolated.
 */
public final class IsoFlopExperiment implements Experiment {
    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("nmt.isoflop")
                .title("IsoFLOP scaling law of a character transformer")
                .description("Trains decoder-only char transformers of six widths at each compute budget "
                        + "(steps = FLOPs / (6 N batch context)), fits loss vs ln N by a quadratic per budget, takes its "
                        + "minimum as N_opt and D_opt = C / 6 N_opt, and fits ln N_opt and ln D_opt against ln C.")
                .param(ParamSpec.list("dims", ParamType.INT_LIST, "16,24,32,48,64,96").quick("8,12,16,24,32,48")
                        .min(2).help("model widths (six sizes)"))
                .param(ParamSpec.integer("layers", 2).quick(1).range(1, 48).help("transformer blocks of every size"))
                .param(ParamSpec.integer("heads", 4).quick(2).range(1, 64).help("attention heads (must divide every width)"))
                .param(ParamSpec.list("budgets", ParamType.DOUBLE_LIST, "8e10,1.6e11,3.2e11,6.4e11,1.28e12")
                        .quick("2.5e8,5e8,1e9").min(1).help("compute budgets in FLOPs"))
                .param(ParamSpec.integer("context", 32).range(2, 1024).help("context length"))
                .param(ParamSpec.integer("batchSize", 32).range(1, 4096).help("windows per batch"))
                .param(ParamSpec.decimal("learningRate", 3e-3).quick(5e-3).range(1e-6, 1).help("AdamW peak learning rate"))
                .param(ParamSpec.integer("validationBatches", 10).quick(2).range(1, 10000).help("fixed validation batches"))
                .param(ParamSpec.decimal("extrapolateTo", 1e15).min(1).help("budget to extrapolate N_opt and D_opt to"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        var p = request.params();
        Device device = Devices.choose(request);
        reporter.usedDevice(Devices.describe(device));
        CharCorpus corpus = new CharCorpus(CharLmExperiment.text(), 0.9);
        int context = p.integer("context");
        int batch = p.integer("batchSize");
        long tokensPerStep = (long) context * batch;
        List<Integer> dims = p.intList("dims");
        List<Double> budgets = p.doubleList("budgets");
        List<IsoFlopAnalysis.Run> runs = new ArrayList<>();
        try (Progress progress = reporter.progress("isoflop runs", (long) dims.size() * budgets.size())) {
            for (double flops : budgets) {
                Labels budget = Labels.of("budget", budget(flops));
                for (int dim : dims) {
                    request.checkCancelled();
                    try (Model model = Model.newInstance("isoflop", device)) {
                        DecoderOnlyLm lm = new DecoderOnlyLm(corpus.vocabSize(), dim, p.integer("heads"), p.integer("layers"),
                                context);
                        model.setBlock(lm);
                        lm.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batch, context));
                        long n = CharLmExperiment.parameterCount(model);
                        reporter.answer("parametersByDim", Labels.of("dim", Integer.toString(dim)), n);
                        int steps = (int) Math.max(1, Math.round(flops / (6.0 * n * tokensPerStep)));
                        TrainConfig cfg = TrainConfig.of("d" + dim, 1, steps, (float) p.decimal("learningRate"), request.seed());
                        TrainResult r = Training.of(model, corpus.batches(context, batch, p.integer("validationBatches"),
                                request.seed()), cfg).cancellation(request.cancellation()).run();
                        runs.add(new IsoFlopAnalysis.Run(flops, n, steps * tokensPerStep, r.finalValLoss()));
                        reporter.series("lossByParams", budget).add(n, r.finalValLoss());
                        reporter.log(String.format("C=%.3g N=%d steps=%d val loss %.4f", flops, n, steps, r.finalValLoss()));
                    }
                    progress.step();
                }
            }
        }
        IsoFlopAnalysis analysis = new IsoFlopAnalysis(runs);
        double target = p.decimal("extrapolateTo");
        for (IsoFlopAnalysis.BudgetFit f : analysis.budgets()) {
            Labels budget = Labels.of("budget", budget(f.flops()));
            reporter.answer("optimalParamsPerBudget", budget, f.nOpt());
            reporter.answer("optimalTokensPerBudget", budget, f.dOpt());
            reporter.series("nOptByFlops").add(f.flops(), f.nOpt());
            reporter.series("tokensOptByFlops").add(f.flops(), f.dOpt());
        }
        reporter.answer("nOptAt1e15", analysis.nOptAt(target));
        reporter.answer("tokensOptAt1e15", analysis.tokensOptAt(target));
        reporter.answer("nOptExponent", analysis.nOptExponent());
        reporter.answer("tokensOptExponent", analysis.tokensOptExponent());
        reporter.metric("nOptExponent", analysis.nOptExponent());
        reporter.metric("tokensOptExponent", analysis.tokensOptExponent());
        plots(reporter, analysis, target);
    }

    /** A budget as a label value and answer key: {@code 2.50e+08}. */
    static String budget(double flops) {
        return String.format(Locale.ROOT, "%.3g", flops);
    }

    /** The measured points as markers, each fit as a line through them. */
    private static void plots(RunReporter reporter, IsoFlopAnalysis analysis, double target) {
        List<LinePlot.Line> curves = new ArrayList<>();
        for (IsoFlopAnalysis.BudgetFit f : analysis.budgets()) {
            String label = "C=" + budget(f.flops());
            curves.add(points(label, "lossByParams", Labels.of("budget", budget(f.flops()))));
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
        double lo = analysis.budgets().stream().mapToDouble(IsoFlopAnalysis.BudgetFit::flops).min().orElse(1);
        reporter.plot(optimumPlot("n-opt-vs-flops.png", "N_opt (parameters)", "nOptByFlops", analysis::nOptAt,
                analysis.nOptExponent(), lo, target));
        reporter.plot(optimumPlot("tokens-opt-vs-flops.png", "D_opt (tokens)", "tokensOptByFlops", analysis::tokensOptAt,
                analysis.tokensOptExponent(), lo, target));
    }

    private static final LinePlot.Range AUTO = new LinePlot.Range(null, null);

    private static LinePlot optimumPlot(String file, String what, String series, DoubleUnaryOperator fitted,
                                        double exponent, double lo, double target) {
        List<double[]> line = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            double c = Math.exp(Math.log(lo) + (Math.log(target) - Math.log(lo)) * i / 20.0);
            line.add(new double[] {c, fitted.applyAsDouble(c)});
        }
        return new LinePlot(file, "nmt.isoflop: " + what + " vs compute", "FLOPs", what,
                List.of(points("IsoFLOP minima", series, Labels.NONE), line(String.format(Locale.ROOT, "fit, exponent %.3f",
                        exponent), line)), true, true, AUTO, AUTO);
    }

    /** A recorded series drawn as markers. */
    private static LinePlot.Line points(String legend, String series, Labels labels) {
        return new LinePlot.Line(legend, series, labels, false, null, LinePlot.Style.POINTS);
    }

    private static LinePlot.Line line(String legend, List<double[]> points) {
        return new LinePlot.Line(legend, null, Labels.NONE, false, points, LinePlot.Style.LINE);
    }
}
