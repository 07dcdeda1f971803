package dlx.vision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks backprop against central differences {@code (L(θ+ε) − L(θ−ε)) / 2ε} on chosen entries of
 * W1, b1, W2 and b2. The analytic gradient comes from {@link ScratchMlp#lossAndGradient} (the
 * layers' backward passes); the loss differences from {@link ScratchMlp#lossExact} (double
 * precision, so that ε = 1e-3 is not drowned by float rounding). Entries whose perturbation would
 * move a hidden unit across the ReLU kink for some example are not chosen (the loss is not
 * differentiable there), nor first-layer entries of hidden units inactive on every example (their
 * gradient is exactly 0 both ways, which would check nothing).
 */
public final class GradientChecker {
    public static final double EPSILON = 1e-3;

    /** One checked entry. */
    public record Entry(String param, int index, double analytic, double numeric, double relErr) {
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("param", param);
            m.put("index", index);
            m.put("analytic", analytic);
            m.put("numeric", numeric);
            m.put("relErr", relErr);
            return m;
        }
    }

    private GradientChecker() { }

    public static double maxRelErr(List<Entry> entries) {
        double m = 0;
        for (Entry e : entries) {
            m = Math.max(m, e.relErr());
        }
        return m;
    }

    /** {@code |a − n| / max(|a|, |n|)} (0 when both are 0). */
    public static double relErr(double a, double n) {
        double den = Math.max(Math.abs(a), Math.abs(n));
        return den == 0 ? 0 : Math.abs(a - n) / den;
    }

    /** Checks {@code perTensor} entries of each of W1, b1, W2, b2 on the {@code n} dense examples {@code x}. */
    public static List<Entry> check(ScratchMlp net, float[] x, int[] labels, int n, int perTensor, long seed) {
        net.lossAndGradient(x, labels, n);
        double[] pre = preActivations(net, x, n);
        Random rng = new Random(seed);
        List<Entry> out = new ArrayList<>();
        for (int t = 0; t < ScratchMlp.TENSORS.length; t++) {
            int found = 0;
            for (int attempt = 0; attempt < 10_000 && found < perTensor; attempt++) {
                int k = rng.nextInt(ScratchMlp.tensorSize(t));
                if (t == 0 && (!usedInput(x, n, k / ScratchMlp.HIDDEN) || nearKink(pre, x, n, k / ScratchMlp.HIDDEN, k % ScratchMlp.HIDDEN))) {
                    continue;
                }
                if (t == 1 && nearKink(pre, null, n, -1, k)) {
                    continue;
                }
                if (t < 2 && net.grad(t, k) == 0f) {
                    continue; // hidden unit inactive on every example: 0 = 0 would check nothing
                }
                float orig = net.get(t, k);
                float plus = (float) (orig + EPSILON);
                float minus = (float) (orig - EPSILON);
                net.set(t, k, plus);
                double lp = net.lossExact(x, labels, n);
                net.set(t, k, minus);
                double lm = net.lossExact(x, labels, n);
                net.set(t, k, orig);
                // Divide by the perturbation really applied in float.
                double numeric = (lp - lm) / ((double) plus - (double) minus);
                double a = net.grad(t, k);
                out.add(new Entry(ScratchMlp.TENSORS[t], k, a, numeric, relErr(a, numeric)));
                found++;
            }
        }
        return out;
    }

    private static boolean usedInput(float[] x, int n, int i) {
        for (int r = 0; r < n; r++) {
            if (x[r * ScratchMlp.IN + i] != 0f) {
                return true;
            }
        }
        return false;
    }

    /** Hidden pre-activations in double, {@code n x HIDDEN}. */
    private static double[] preActivations(ScratchMlp net, float[] x, int n) {
        double[] u = new double[n * ScratchMlp.HIDDEN];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < ScratchMlp.HIDDEN; j++) {
                double s = net.get(1, j);
                for (int i = 0; i < ScratchMlp.IN; i++) {
                    s += (double) x[r * ScratchMlp.IN + i] * net.get(0, i * ScratchMlp.HIDDEN + j);
                }
                u[r * ScratchMlp.HIDDEN + j] = s;
            }
        }
        return u;
    }

    /** Whether moving W1[i][j] (or b1[j] when x is null) by ±ε could flip hidden unit j's ReLU for some example. */
    private static boolean nearKink(double[] u, float[] x, int n, int i, int j) {
        for (int r = 0; r < n; r++) {
            double reach = x == null ? EPSILON : Math.abs(x[r * ScratchMlp.IN + i]) * EPSILON;
            if (Math.abs(u[r * ScratchMlp.HIDDEN + j]) <= 2 * reach) {
                return true;
            }
        }
        return false;
    }
}
