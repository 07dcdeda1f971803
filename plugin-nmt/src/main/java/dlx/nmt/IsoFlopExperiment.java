package dlx.nmt;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.ParamType;
import dlx.api.Progress;
import dlx.api.RunContext;
import dlx.kit.djl.Devices;
import dlx.kit.plot.Charts;
import dlx.nmt.data.CharCorpus;
import dlx.nmt.model.DecoderOnlyLm;
import dlx.nmt.scaling.IsoFlopAnalysis;
import dlx.nmt.train.TrainConfig;
import dlx.nmt.train.TrainLoop;
import dlx.nmt.train.TrainResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * {@code nmt.isoflop}: decoder-only character transformers of six widths trained on tiny
 * Shakespeare at a doubling ladder of compute budgets (FLOPs = 6 × parameters × training tokens,
 * parameters counted from the built model); validation loss against ln N fitted by a quadratic per
 * budget; compute-optimal N and D against FLOPs fitted as lines in log-log space and extrapolated.
 */
public final class IsoFlopExperiment implements Experiment {
    private static final java.awt.Color[] PALETTE = {new java.awt.Color(31, 119, 180), new java.awt.Color(255, 127, 14),
        new java.awt.Color(44, 160, 44), new java.awt.Color(214, 39, 40), new java.awt.Color(148, 103, 189),
        new java.awt.Color(140, 86, 75), new java.awt.Color(227, 119, 194), new java.awt.Color(127, 127, 127)};

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
    public void run(RunContext ctx) throws Exception {
        var p = ctx.params();
        Device device = Devices.choose(ctx.device());
        ctx.usedDevice(Devices.describe(device));
        CharCorpus corpus = new CharCorpus(CharLmExperiment.text(), 0.9);
        int context = p.integer("context");
        int batch = p.integer("batchSize");
        long tokensPerStep = (long) context * batch;
        List<Integer> dims = p.intList("dims");
        List<Double> budgets = p.doubleList("budgets");
        List<IsoFlopAnalysis.Run> runs = new ArrayList<>();
        Map<Integer, Long> params = new LinkedHashMap<>();
        try (Progress progress = ctx.progress("isoflop runs", (long) dims.size() * budgets.size())) {
            for (int b = 0; b < budgets.size(); b++) {
                double flops = budgets.get(b);
                for (int dim : dims) {
                    ctx.checkCancelled();
                    try (Model model = Model.newInstance("isoflop", device)) {
                        DecoderOnlyLm lm = new DecoderOnlyLm(corpus.vocabSize(), dim, p.integer("heads"), p.integer("layers"),
                                context);
                        model.setBlock(lm);
                        lm.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batch, context));
                        long n = CharLmExperiment.parameterCount(model);
                        params.put(dim, n);
                        int steps = (int) Math.max(1, Math.round(flops / (6.0 * n * tokensPerStep)));
                        TrainConfig cfg = TrainConfig.of("d" + dim, 1, steps, (float) p.decimal("learningRate"), ctx.seed());
                        TrainResult r = TrainLoop.train(model, new Shape[] {new Shape(batch, context)},
                                corpus.batches(context, batch, p.integer("validationBatches"), ctx.seed()), cfg, null, "");
                        long tokens = steps * tokensPerStep;
                        runs.add(new IsoFlopAnalysis.Run(flops, n, tokens, r.finalValLoss()));
                        ctx.series("budget" + (b + 1) + "LossByParams").add(n, r.finalValLoss());
                        ctx.log(String.format("C=%.3g N=%d steps=%d val loss %.4f", flops, n, steps, r.finalValLoss()));
                    }
                    progress.step();
                }
            }
        }
        IsoFlopAnalysis analysis = new IsoFlopAnalysis(runs);
        double target = p.decimal("extrapolateTo");
        Map<String, Double> optimal = new LinkedHashMap<>();
        Map<String, Double> optimalTokens = new LinkedHashMap<>();
        for (IsoFlopAnalysis.BudgetFit f : analysis.budgets()) {
            optimal.put(String.format("%.3g", f.flops()), f.nOpt());
            optimalTokens.put(String.format("%.3g", f.flops()), f.dOpt());
            ctx.series("nOptByFlops").add(f.flops(), f.nOpt());
            ctx.series("tokensOptByFlops").add(f.flops(), f.dOpt());
        }
        ctx.answer("nOptAt1e15", analysis.nOptAt(target));
        ctx.answer("tokensOptAt1e15", analysis.tokensOptAt(target));
        ctx.answer("nOptExponent", analysis.nOptExponent());
        ctx.answer("tokensOptExponent", analysis.tokensOptExponent());
        ctx.answer("optimalParamsPerBudget", optimal);
        ctx.answer("optimalTokensPerBudget", optimalTokens);
        ctx.answer("parametersByDim", params);
        ctx.metric("nOptExponent", analysis.nOptExponent());
        ctx.metric("tokensOptExponent", analysis.tokensOptExponent());
        plots(ctx, runs, analysis, target);
    }

    private static void plots(RunContext ctx, List<IsoFlopAnalysis.Run> runs, IsoFlopAnalysis analysis, double target)
            throws java.io.IOException {
        XYChart loss = Charts.xy("nmt.isoflop: validation loss vs parameters, per budget", "parameters N",
                "validation cross-entropy (nats)", true, false);
        int index = 0;
        for (IsoFlopAnalysis.BudgetFit f : analysis.budgets()) {
            java.awt.Color colour = PALETTE[index++ % PALETTE.length];
            String label = String.format("C=%.3g", f.flops());
            List<double[]> pts = new ArrayList<>();
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (IsoFlopAnalysis.Run r : runs) {
                if (r.flops() == f.flops()) {
                    pts.add(new double[] {r.parameters(), r.loss()});
                    lo = Math.min(lo, r.parameters());
                    hi = Math.max(hi, r.parameters());
                }
            }
            Charts.addPoints(loss, label, pts).setMarkerColor(colour);
            List<double[]> curve = new ArrayList<>();
            double[] q = f.coefficients();
            for (int i = 0; i <= 40; i++) {
                double x = Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / 40.0;
                curve.add(new double[] {Math.exp(x), q[0] + q[1] * x + q[2] * x * x});
            }
            Charts.addLine(loss, label + " fit", curve, false).setLineColor(colour);
        }
        Charts.save(loss, ctx.outputDir().resolve("isoflop-curves.png"));
        ctx.artifact("isoflop-curves.png");
        optimumPlot(ctx, analysis, target, true, "n-opt-vs-flops.png");
        optimumPlot(ctx, analysis, target, false, "tokens-opt-vs-flops.png");
    }

    private static void optimumPlot(RunContext ctx, IsoFlopAnalysis analysis, double target, boolean params, String file)
            throws java.io.IOException {
        String what = params ? "N_opt (parameters)" : "D_opt (tokens)";
        XYChart chart = Charts.xy("nmt.isoflop: " + what + " vs compute", "FLOPs", what, true, true);
        List<double[]> pts = new ArrayList<>();
        for (IsoFlopAnalysis.BudgetFit f : analysis.budgets()) {
            pts.add(new double[] {f.flops(), params ? f.nOpt() : f.dOpt()});
        }
        Charts.addPoints(chart, "IsoFLOP minima", pts);
        double lo = analysis.budgets().stream().mapToDouble(IsoFlopAnalysis.BudgetFit::flops).min().orElse(1);
        List<double[]> line = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            double c = Math.exp(Math.log(lo) + (Math.log(target) - Math.log(lo)) * i / 20.0);
            line.add(new double[] {c, params ? analysis.nOptAt(c) : analysis.tokensOptAt(c)});
        }
        Charts.addLine(chart, String.format("fit, exponent %.3f", params ? analysis.nOptExponent()
                : analysis.tokensOptExponent()), line, false);
        Charts.save(chart, ctx.outputDir().resolve(file));
        ctx.artifact(file);
    }
}
