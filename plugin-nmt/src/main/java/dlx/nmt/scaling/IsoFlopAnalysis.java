package dlx.nmt.scaling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The IsoFLOP method: for each compute budget C, validation loss against model size N is fitted by
 * a quadratic in ln N whose minimum gives N_opt(C), and D_opt(C) = C / (6 N_opt). Lines through
 * (ln C, ln N_opt) and (ln C, ln D_opt) give the exponents and the extrapolation to any budget.
 */
public final class IsoFlopAnalysis {
    /** One trained run: budget, parameters, tokens and final validation loss. */
    public record Run(double flops, long parameters, long tokens, double loss) { }

    /** The fit of one budget: coefficients of loss ≈ a + b ln N + c (ln N)² over N in [smallest, largest], and the optimum. */
    public record BudgetFit(double flops, double[] coefficients, double nOpt, double dOpt, double smallest, double largest) { }

    private final List<BudgetFit> budgets;
    private final double[] nLine;
    private final double[] dLine;

    public IsoFlopAnalysis(List<Run> runs) {
        List<Double> flops = new ArrayList<>();
        for (Run r : runs) {
            if (!flops.contains(r.flops())) {
                flops.add(r.flops());
            }
        }
        budgets = new ArrayList<>();
        for (double c : flops) {
            List<Run> at = runs.stream().filter(r -> r.flops() == c).toList();
            double[] x = at.stream().mapToDouble(r -> Math.log(r.parameters())).toArray();
            double[] y = at.stream().mapToDouble(Run::loss).toArray();
            double[] q = Fits.quadratic(x, y);
            double nOpt = Math.exp(Fits.argMin(x, y, q));
            budgets.add(new BudgetFit(c, q, nOpt, c / (6 * nOpt), Math.exp(Arrays.stream(x).min().orElseThrow()),
                    Math.exp(Arrays.stream(x).max().orElseThrow())));
        }
        double[] lc = budgets.stream().mapToDouble(b -> Math.log(b.flops())).toArray();
        nLine = Fits.line(lc, budgets.stream().mapToDouble(b -> Math.log(b.nOpt())).toArray());
        dLine = Fits.line(lc, budgets.stream().mapToDouble(b -> Math.log(b.dOpt())).toArray());
    }

    public List<BudgetFit> budgets() { return budgets; }
    public double nOptExponent() { return nLine[1]; }
    public double tokensOptExponent() { return dLine[1]; }

    public double nOptAt(double flops) {
        return Math.exp(nLine[0] + nLine[1] * Math.log(flops));
    }

    public double tokensOptAt(double flops) {
        return Math.exp(dLine[0] + dLine[1] * Math.log(flops));
    }
}
