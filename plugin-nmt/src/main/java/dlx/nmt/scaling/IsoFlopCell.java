package dlx.nmt.scaling;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One trained cell of an IsoFLOP grid: the nominal budget, the model width and its parameter
 * count, the steps and tokens it trained on, the FLOPs they cost (6 · N · tokens) and its final
 * validation loss. A result records its cells under the answer {@code cells}, one map each.
 */
public record IsoFlopCell(double budget, int dim, long parameters, long steps, long tokens, double flops, double valLoss) {

    /** The cell as the answer's map (the keys {@link IsoFlopCells} reads back). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budget", budget);
        m.put("dim", dim);
        m.put("parameters", parameters);
        m.put("steps", steps);
        m.put("tokens", tokens);
        m.put("flops", flops);
        m.put("valLoss", valLoss);
        return m;
    }

    /** The run of the analysis: the nominal budget groups the cells. */
    public IsoFlopAnalysis.Run run() {
        return new IsoFlopAnalysis.Run(budget, parameters, tokens, valLoss);
    }

    /** {@code 32@8.00e+10}: the width, then the budget as a label value. */
    public String name() {
        return name(dim, budget);
    }

    public static String name(int dim, double budget) {
        return dim + "@" + budgetLabel(budget);
    }

    /** A budget as a label value and answer key: {@code 8.00e+10}. */
    public static String budgetLabel(double flops) {
        return String.format(Locale.ROOT, "%.2e", flops);
    }
}
