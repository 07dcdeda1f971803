package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.Labels;
import dlx.api.LinePlot;
import dlx.api.ParamSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Gradient clipping by norm against clipping by value (IFT6135 Q4.4), on an RNN whose gradients
 * explode. Clipping by norm, g·min(1, c/‖g‖), only shortens the gradient: its cosine with g is 1.
 * Clipping by value, clamp(g_i, −c, c) per component, shortens the large components only: the
 * direction turns (cosine below 1), towards the sign of the gradient. Checked numerically: the
 * backprop-through-time gradient against central differences, and the first-order loss decrease
 * of a unit step along each clipped direction against the cosine. Then the effect on training:
 * the same RNN, data and learning rate, without clipping, clipped by norm and clipped by value.
 */
public final class GradientClippingExperiment implements Experiment {
    static final List<String> METHODS = List.of("none", "norm", "value");
    /** A run has blown up once its training loss exceeds this multiple of its first loss. */
    static final double BLOW_UP_FACTOR = 100;
    /** The contracting RNN shown beside the exploding one. */
    static final double CONTRACTING_GAIN = 0.5;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.gradient-clipping")
                .title("Gradient clipping by norm versus by value on an exploding RNN")
                .description("A tanh RNN h_t = tanh(W h_{t-1} + u x_t + b), W ~ N(0, gain^2/n), must output its first input "
                        + "after 'length' steps (loss 1/2 (v^T h_T - x_1)^2). Gradient norm against T for the exploding and "
                        + "a contracting gain; cosine between the gradient and its clipped versions; training with SGD "
                        + "without clipping, clipped by norm (threshold c) and by value (threshold c/sqrt(P), so that both "
                        + "bound the step length by learningRate * c).")
                .param(ParamSpec.decimal("gain", 3.0).range(0.1, 10).help("W ~ N(0, gain^2/hidden): above 1 the RNN is chaotic "
                        + "and its gradients explode with T"))
                .param(ParamSpec.integer("hidden", 16).range(1, 256).help("hidden units n"))
                .param(ParamSpec.integer("length", 20).range(2, 200).help("sequence length T"))
                .param(ParamSpec.integer("batchSize", 64).range(1, 4096))
                .param(ParamSpec.decimal("learningRate", 0.3).range(1e-6, 100).help("SGD learning rate of the three runs"))
                .param(ParamSpec.integer("steps", 500).quick(200).range(1, 1_000_000).help("SGD steps of each run"))
                .param(ParamSpec.decimal("threshold", 1.0).range(1e-9, 1e9).help("norm clipping threshold c"))
                .param(ParamSpec.decimal("valueThreshold", 0).range(0, 1e9).help("value clipping threshold; 0 = c/sqrt(P), "
                        + "P the number of parameters, so that a value-clipped gradient is never longer than c either"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        var p = request.params();
        int n = p.integer("hidden");
        int length = p.integer("length");
        int batch = p.integer("batchSize");
        double gain = p.decimal("gain");
        double c = p.decimal("threshold");
        Random rnd = new Random(request.seed());
        Rnn init = Rnn.random(rnd, n, gain);
        int params = init.size();
        double cValue = p.decimal("valueThreshold") > 0 ? p.decimal("valueThreshold") : c / Math.sqrt(params);
        reporter.answer("parameters", params);
        reporter.answer("valueThreshold", cValue);

        // 1. The gradient norm against T: it grows with T for the chaotic gain, shrinks for a contracting one.
        Batch probe = Batch.random(new Random(request.seed() + 3), batch, 2 * length);
        LinePlot.Builder normPlot = LinePlot.builder("grad-norm-by-t.png", "Gradient norm against sequence length at "
                + "initialisation", "T", "||grad L||").logY();
        for (double g : new double[] {gain, CONTRACTING_GAIN}) {
            Rnn rnn = Rnn.random(new Random(request.seed()), n, g);
            Labels labels = Labels.of("gain", fmt(g));
            double[] g2 = new double[params];
            for (int t = 1; t <= 2 * length; t++) {
                rnn.gradient(probe.prefix(t), g2);
                reporter.series("gradNormByT", labels).add(t, norm(g2));
            }
            normPlot.series("gradNormByT", labels, "gain " + fmt(g));
        }
        reporter.plot(normPlot.build());

        // 2. The directions at the exploding gradient of the initial RNN.
        Batch first = Batch.random(new Random(request.seed() + 1), batch, length);
        double[] grad = new double[params];
        init.gradient(first, grad);
        double gradNorm = norm(grad);
        double[] byNorm = byNorm(grad, c);
        double[] byValue = byValue(grad, cValue);
        double cosNorm = cosine(grad, byNorm);
        double cosValue = cosine(grad, byValue);
        reporter.answer("gradientNorm", gradNorm);
        reporter.answer("normClipCosine", cosNorm);
        reporter.answer("valueClipCosine", cosValue);
        reporter.answer("valueClipAngleDegrees", Math.toDegrees(Math.acos(Math.min(1, cosValue))));
        reporter.answer("valueClippedFraction", clippedFraction(grad, cValue));
        reporter.answer("normKeepsDirection", cosNorm > 1 - 1e-12);
        reporter.answer("valueKeepsDirection", cosValue > 1 - 1e-12);
        reporter.verify("normClipCosineResidual", Math.abs(1 - cosNorm), 1e-12);
        reporter.verify("normClipLengthResidual", Math.abs(norm(byNorm) - Math.min(gradNorm, c)), 1e-12);
        reporter.verify("valueClipBoundExcess", Math.max(0, maxAbs(byValue) - cValue), 1e-15);
        // Backprop through time against central differences along random unit directions.
        Random dirs = new Random(request.seed() + 4);
        double fdErr = 0;
        for (int k = 0; k < 3; k++) {
            double[] d = unit(RnnGradientsExperiment.gaussian(dirs, params));
            fdErr = Math.max(fdErr, Math.abs(init.directional(first, d) - dot(grad, d)) / gradNorm);
        }
        reporter.verify("gradientFiniteDifferenceError", fdErr, 1e-6);
        // A unit step along a direction d lowers the loss, to first order, by grad·d: along the value-clipped
        // direction that is cos(grad, byValue) times the decrease along the gradient (and the norm-clipped step).
        double alongNorm = init.directional(first, unit(byNorm));
        double alongValue = init.directional(first, unit(byValue));
        reporter.answer("decreaseRatio", alongValue / alongNorm);
        reporter.verify("decreaseRatioResidual", Math.abs(alongValue / alongNorm - cosValue), 1e-6);

        // 3. Training: the same initial RNN and the same batches, three ways.
        Batch val = Batch.random(new Random(request.seed() + 2), 1024, length);
        LinePlot.Builder lossPlot = LinePlot.builder("train-loss.png", "SGD on the exploding RNN (lr "
                + p.decimal("learningRate") + ")", "step", "training loss").logY();
        Map<String, Training> results = new LinkedHashMap<>();
        for (String method : METHODS) {
            request.checkCancelled();
            Labels labels = Labels.of("clipping", method);
            Training t = train(reporter, labels, init.copy(), method, c, cValue, p.decimal("learningRate"), p.integer("steps"),
                    batch, length, new Random(request.seed() + 1), val);
            results.put(method, t);
            reporter.answer("diverged", labels, t.diverged());
            reporter.answer("blowUpStep", labels, t.blowUpStep());
            reporter.answer("maxGradientNorm", labels, t.maxGradNorm());
            reporter.answer("meanCosine", labels, t.meanCosine());
            reporter.answer("clippedStepsFraction", labels, t.clippedFraction());
            if (Double.isFinite(t.valLoss())) {
                reporter.answer("finalValLoss", labels, t.valLoss());
                reporter.metric("finalValLoss", labels, t.valLoss());
            }
            lossPlot.series("trainLoss", labels, method.equals("none") ? "no clipping" : "clipped by " + method);
        }
        reporter.plot(lossPlot.build());
        reporter.metric("initialValLoss", init.loss(val));
        reporter.answer("conclusion", conclusion(results, cosValue));
    }

    /** What the three runs show, in words. */
    static String conclusion(Map<String, Training> r, double cosValue) {
        Training none = r.get("none");
        Training norm = r.get("norm");
        Training value = r.get("value");
        String unclipped = none.blowUpStep() > 0
                ? String.format(Locale.ROOT, "Without clipping the loss blew up at step %d (gradient norms up to %.3g)%s.",
                        none.blowUpStep(), none.maxGradNorm(), none.diverged() ? " and the weights overflowed" : "")
                : String.format(Locale.ROOT, "Without clipping the loss never blew up here (gradient norms up to %.3g).",
                        none.maxGradNorm());
        String clipped = String.format(Locale.ROOT, " Clipped by norm, every step kept the gradient's direction (cosine 1) "
                + "and training %s (final validation loss %.3g); clipped by value, the step turned away from the gradient "
                + "(cosine %.3f at the first step, %.3f on average) and training %s (final validation loss %.3g).",
                norm.blowUpStep() > 0 ? "still blew up" : "stayed stable", norm.valLoss(), cosValue, value.meanCosine(),
                value.blowUpStep() > 0 ? "still blew up" : "stayed stable", value.valLoss());
        String lesson = " Both bound the step, which is what prevents the blow-up; only norm clipping keeps the descent "
                + "direction, while value clipping moves towards sign descent"
                + (value.valLoss() < norm.valLoss() ? ", which on this RNN did not hurt (its loss ended lower)."
                        : ", and ended with the higher loss here.");
        return unclipped + clipped + lesson;
    }

    /** How one run of SGD went. blowUpStep is 0 when the loss never exceeded {@link #BLOW_UP_FACTOR} times its first value. */
    record Training(boolean diverged, int blowUpStep, double maxGradNorm, double meanCosine, double clippedFraction,
                    double valLoss) { }

    private static Training train(RunReporter reporter, Labels labels, Rnn rnn, String method, double c, double cValue,
                                  double lr, int steps, int batch, int length, Random data, Batch val) {
        double[] grad = new double[rnn.size()];
        double firstLoss = Double.NaN;
        int blowUp = 0;
        boolean diverged = false;
        double maxNorm = 0;
        double cosSum = 0;
        int clipped = 0;
        int done = 0;
        for (int step = 1; step <= steps; step++) {
            double loss = rnn.gradient(Batch.random(data, batch, length), grad);
            double gNorm = norm(grad);
            if (!Double.isFinite(loss) || !Double.isFinite(gNorm)) {
                diverged = true;
                blowUp = blowUp == 0 ? step : blowUp;
                break;
            }
            reporter.series("trainLoss", labels).add(step, loss);
            firstLoss = step == 1 ? loss : firstLoss;
            if (blowUp == 0 && loss > BLOW_UP_FACTOR * firstLoss) {
                blowUp = step;
            }
            maxNorm = Math.max(maxNorm, gNorm);
            double[] update = switch (method) {
                case "norm" -> byNorm(grad, c);
                case "value" -> byValue(grad, cValue);
                default -> grad;
            };
            clipped += gNorm > c && method.equals("norm") || maxAbs(grad) > cValue && method.equals("value") ? 1 : 0;
            cosSum += cosine(grad, update);
            rnn.step(update, lr);
            done++;
        }
        double valLoss = diverged ? Double.NaN : rnn.loss(val);
        return new Training(diverged || !Double.isFinite(valLoss), blowUp, maxNorm, done == 0 ? Double.NaN : cosSum / done,
                done == 0 ? 0 : clipped / (double) done, valLoss);
    }

    /** g · min(1, c/‖g‖). */
    static double[] byNorm(double[] g, double c) {
        double s = Math.min(1, c / norm(g));
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = g[i] * s;
        }
        return out;
    }

    /** clamp(g_i, −c, c) per component. */
    static double[] byValue(double[] g, double c) {
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = Math.max(-c, Math.min(c, g[i]));
        }
        return out;
    }

    /** The cosine of the angle between two vectors. */
    static double cosine(double[] a, double[] b) {
        return dot(a, b) / (norm(a) * norm(b));
    }

    static double clippedFraction(double[] g, double c) {
        int k = 0;
        for (double v : g) {
            k += Math.abs(v) > c ? 1 : 0;
        }
        return k / (double) g.length;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double[] unit(double[] a) {
        double s = norm(a);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] / s;
        }
        return out;
    }

    private static String fmt(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Input sequences x[m][t] ~ N(0, 1); the target of sequence m is its first input. */
    record Batch(double[][] x) {
        static Batch random(Random rnd, int m, int length) {
            double[][] x = new double[m][length];
            for (double[] row : x) {
                for (int t = 0; t < length; t++) {
                    row[t] = rnd.nextGaussian();
                }
            }
            return new Batch(x);
        }

        /** The first {@code t} steps of every sequence (same targets). */
        Batch prefix(int t) {
            double[][] out = new double[x.length][];
            for (int m = 0; m < x.length; m++) {
                out[m] = java.util.Arrays.copyOf(x[m], t);
            }
            return new Batch(out);
        }
    }

    /**
     * h_t = tanh(W h_{t−1} + u x_t + b), h_0 = 0, output vᵀh_T, loss ½ mean (vᵀh_T − x_1)². The
     * parameters live in one vector θ = [W (row-major), u, b, v], so that clipping sees one gradient.
     */
    static final class Rnn {
        private final int n;
        private final double[] theta;

        private Rnn(int n, double[] theta) {
            this.n = n;
            this.theta = theta;
        }

        static Rnn random(Random rnd, int n, double gain) {
            double[] theta = new double[n * n + 3 * n];
            for (int i = 0; i < n * n; i++) {
                theta[i] = rnd.nextGaussian() * gain / Math.sqrt(n);
            }
            for (int i = 0; i < n; i++) {
                theta[n * n + i] = rnd.nextGaussian();
                theta[n * n + 2 * n + i] = rnd.nextGaussian() / Math.sqrt(n);
            }
            return new Rnn(n, theta);
        }

        int size() {
            return theta.length;
        }

        Rnn copy() {
            return new Rnn(n, theta.clone());
        }

        void step(double[] update, double lr) {
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= lr * update[i];
            }
        }

        private double w(int i, int j) {
            return theta[i * n + j];
        }

        /** Hidden states h[m][t][i], t = 0..T, of every sequence. */
        private double[][][] forward(Batch b) {
            int steps = b.x()[0].length;
            double[][][] h = new double[b.x().length][steps + 1][n];
            for (int m = 0; m < h.length; m++) {
                for (int t = 0; t < steps; t++) {
                    double[] prev = h[m][t];
                    for (int i = 0; i < n; i++) {
                        double a = theta[n * n + i] * b.x()[m][t] + theta[n * n + n + i];
                        for (int j = 0; j < n; j++) {
                            a += w(i, j) * prev[j];
                        }
                        h[m][t + 1][i] = Math.tanh(a);
                    }
                }
            }
            return h;
        }

        private double output(double[] hT) {
            double y = 0;
            for (int i = 0; i < n; i++) {
                y += theta[n * n + 2 * n + i] * hT[i];
            }
            return y;
        }

        double loss(Batch b) {
            double[][][] h = forward(b);
            double s = 0;
            for (int m = 0; m < h.length; m++) {
                double e = output(h[m][h[m].length - 1]) - b.x()[m][0];
                s += 0.5 * e * e;
            }
            return s / h.length;
        }

        /** Backpropagation through time: writes ∂L/∂θ into {@code grad}, returns L. */
        double gradient(Batch b, double[] grad) {
            java.util.Arrays.fill(grad, 0);
            double[][][] h = forward(b);
            int mCount = h.length;
            int steps = h[0].length - 1;
            double loss = 0;
            double[] dh = new double[n];
            double[] da = new double[n];
            for (int m = 0; m < mCount; m++) {
                double e = output(h[m][steps]) - b.x()[m][0];
                loss += 0.5 * e * e / mCount;
                for (int i = 0; i < n; i++) {
                    grad[n * n + 2 * n + i] += e * h[m][steps][i] / mCount;
                    dh[i] = e * theta[n * n + 2 * n + i] / mCount;
                }
                for (int t = steps - 1; t >= 0; t--) {
                    for (int i = 0; i < n; i++) {
                        double hi = h[m][t + 1][i];
                        da[i] = dh[i] * (1 - hi * hi);
                        for (int j = 0; j < n; j++) {
                            grad[i * n + j] += da[i] * h[m][t][j];
                        }
                        grad[n * n + i] += da[i] * b.x()[m][t];
                        grad[n * n + n + i] += da[i];
                    }
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int i = 0; i < n; i++) {
                            s += da[i] * w(i, j);
                        }
                        dh[j] = s;
                    }
                }
            }
            return loss;
        }

        /**
         * The derivative of the loss along the unit direction {@code d} by a central difference with
         * h = 1e-7: the chaotic RNN's loss curves so fast (the difference quotient's error was about
         * 7e5·h² along a random direction) that the usual h = 1e-5 resolves only 1e-4.
         */
        double directional(Batch b, double[] d) {
            double h = 1e-7;
            return (lossAt(b, d, h) - lossAt(b, d, -h)) / (2 * h);
        }

        private double lossAt(Batch b, double[] d, double s) {
            Rnn moved = copy();
            moved.step(d, -s);
            return moved.loss(b);
        }
    }
}
