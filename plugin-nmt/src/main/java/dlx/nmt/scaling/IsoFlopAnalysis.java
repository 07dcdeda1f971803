package dlx.nmt.scaling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The IsoFLOP method: for each compute budget C, validation loss against model size N is fitted by
 * a quadratic in ln N whose minimum gives N_opt(C), and D_opt(C) = C / (6 N_opt). Lines through
 * (ln C, ln N_opt) and (ln C, ln D_opt) give the exponents and the extrapolation to any budget.
 *
 * <p>A budget whose fitted minimum lies outside the sizes tried (or whose fit has no minimum) does
 * not bracket its optimum: it is reported ({@link BudgetFit#warning}) and left out of the lines,
 * never clamped to the edge of the grid. Clamping would put that budget's N_opt at the smallest size
 * when the true optimum is smaller (or at the largest when it is larger), which flattens the N_opt
 * line: it pulls the N exponent down.
 */
public final class IsoFlopAnalysis {
    /** One trained run: its budget, parameters, tokens and final validation loss. */
    public record Run(double flops, long parameters, long tokens, double loss) { }

    /** Where a budget's fitted minimum lies relative to the sizes tried. */
    public enum Bracket { INSIDE, BELOW_SMALLEST, ABOVE_LARGEST, NO_MINIMUM }

    /**
     * The fit of one budget: coefficients {a, b, c} of loss ≈ a + b ln N + c (ln N)² over N in
     * [smallest, largest], where its minimum lies, and the N at the vertex (NaN when c ≤ 0).
     */
    public record BudgetFit(double flops, double[] coefficients, double smallest, double largest, Bracket bracket,
                            double vertex) {
        public boolean bracketed() {
            return bracket == Bracket.INSIDE;
        }

        /** The compute-optimal size; only a bracketed budget has one. */
        public double nOpt() {
            if (!bracketed()) {
                throw new IllegalStateException("budget " + flops + " does not bracket its optimum: " + warning());
            }
            return vertex;
        }

        public double dOpt() {
            return flops / (6 * nOpt());
        }

        /** Why this budget has no N_opt, or null when it has one. */
        public String warning() {
            return switch (bracket) {
                case INSIDE -> null;
                case BELOW_SMALLEST -> String.format(Locale.ROOT, "fitted minimum at N = %.3g lies below the smallest size "
                        + "tried (%.0f parameters); add smaller models", vertex, smallest);
                case ABOVE_LARGEST -> String.format(Locale.ROOT, "fitted minimum at N = %.3g lies above the largest size "
                        + "tried (%.0f parameters); add larger models", vertex, largest);
                case NO_MINIMUM -> "the fitted parabola opens downwards (no minimum); loss does not rise on both sides of "
                        + "any size tried";
            };
        }
    }

    private final List<BudgetFit> budgets;
    private final boolean largerAlwaysBetter;
    private final List<Double> largerWorse = new ArrayList<>();
    private final double[] nLine;
    private final double[] dLine;

    public IsoFlopAnalysis(List<Run> runs) {
        List<Double> flops = runs.stream().map(Run::flops).distinct().toList();
        budgets = new ArrayList<>();
        for (double c : flops) {
            List<Run> at = runs.stream().filter(r -> r.flops() == c).sorted(Comparator.comparingLong(Run::parameters))
                    .toList();
            double[] x = at.stream().mapToDouble(r -> Math.log(r.parameters())).toArray();
            double[] y = at.stream().mapToDouble(Run::loss).toArray();
            budgets.add(fit(c, x, y));
            for (int i = 1; i < at.size(); i++) {
                if (at.get(i).parameters() > at.get(i - 1).parameters() && y[i] >= y[i - 1]) {
                    largerWorse.add(c);
                    break;
                }
            }
        }
        largerAlwaysBetter = largerWorse.isEmpty();
        List<BudgetFit> inside = budgets.stream().filter(BudgetFit::bracketed).toList();
        if (inside.size() >= 2) {
            double[] lc = inside.stream().mapToDouble(b -> Math.log(b.flops())).toArray();
            nLine = Fits.line(lc, inside.stream().mapToDouble(b -> Math.log(b.nOpt())).toArray());
            dLine = Fits.line(lc, inside.stream().mapToDouble(b -> Math.log(b.dOpt())).toArray());
        } else {
            nLine = null;
            dLine = null;
        }
    }

    private static BudgetFit fit(double c, double[] x, double[] y) {
        double[] q = Fits.quadratic(x, y);
        double lo = Arrays.stream(x).min().orElseThrow();
        double hi = Arrays.stream(x).max().orElseThrow();
        if (q[2] <= 0) {
            return new BudgetFit(c, q, Math.exp(lo), Math.exp(hi), Bracket.NO_MINIMUM, Double.NaN);
        }
        double vertex = -q[1] / (2 * q[2]);
        Bracket b = vertex < lo ? Bracket.BELOW_SMALLEST : vertex > hi ? Bracket.ABOVE_LARGEST : Bracket.INSIDE;
        return new BudgetFit(c, q, Math.exp(lo), Math.exp(hi), b, Math.exp(vertex));
    }

    public List<BudgetFit> budgets() { return budgets; }

    /** The budgets whose minimum lies outside the sizes tried (or that have none), in budget order. */
    public List<BudgetFit> warnings() {
        return budgets.stream().filter(b -> !b.bracketed()).toList();
    }

    /** Whether, at every budget, each larger model reached a lower validation loss than every smaller one. */
    public boolean largerAlwaysBetter() { return largerAlwaysBetter; }

    /** The budgets at which some larger model did not beat the next smaller one. */
    public List<Double> largerWorse() { return List.copyOf(largerWorse); }

    /** Whether at least two budgets bracket their optimum, so that the exponents exist. */
    public boolean hasLaw() { return nLine != null; }

    public double nOptExponent() { return law(nLine)[1]; }
    public double tokensOptExponent() { return law(dLine)[1]; }

    public double nOptAt(double flops) {
        return Math.exp(law(nLine)[0] + nLine[1] * Math.log(flops));
    }

    public double tokensOptAt(double flops) {
        return Math.exp(law(dLine)[0] + dLine[1] * Math.log(flops));
    }

    private double[] law(double[] line) {
        if (line == null) {
            throw new IllegalStateException("fewer than two budgets bracket their optimum; no scaling law to fit");
        }
        return line;
    }
}
