package dlx.theory;

import dlx.api.CancellationToken;
import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import java.util.Random;

/**
 * The course's mini CNN: a 1-D convolution with kernel (w1, w2) over (x1, x2, x3), ReLU, a dense
 * output and the logistic loss ℓ = ln(1 + exp(−yŷ)), y ∈ {−1, +1}. With s = ∂ℓ/∂ŷ = −y/(1 + exp(yŷ))
 * and r_k = 1[a_k > 0]: ∂ℓ/∂v_k = s·o_k, ∂ℓ/∂w1 = s(v1 r1 x1 + v2 r2 x2), ∂ℓ/∂w2 = s(v1 r1 x2 + v2 r2 x3).
 * Checked by central finite differences, then trained with this backprop loop on synthetic data.
 */
public final class MiniCnnBackpropExperiment implements Experiment {
    static final double GRAD_TOLERANCE = 1e-6;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.mini-cnn-backprop")
                .title("Backprop through a mini CNN, checked by finite differences")
                .description("a1 = x1 w1 + x2 w2, a2 = x2 w1 + x3 w2, o = ReLU(a), y_hat = o1 v1 + o2 v2, "
                        + "loss ln(1 + exp(-y y_hat)): closed-form gradients, central finite differences, and "
                        + "SGD training with the backprop loop on a synthetic data set labelled by a teacher mini CNN.")
                .param(ParamSpec.integer("examples", 400).quick(200).min(10).help("synthetic training examples"))
                .param(ParamSpec.integer("epochs", 200).quick(60).min(1).help("SGD epochs"))
                .param(ParamSpec.decimal("learningRate", 0.1).range(1e-6, 10).help("SGD learning rate"))
                .param(ParamSpec.integer("restarts", 5).quick(3).range(1, 100)
                        .help("random initialisations trained (ReLU nets have local minima); the best one is reported"))
                .param(ParamSpec.integer("gradChecks", 200).quick(50).min(1).help("random points for the gradient check"))
                .build();
    }

    /** Parameters {w1, w2, v1, v2}. */
    record Forward(double a1, double a2, double o1, double o2, double yHat, double loss) { }

    static Forward forward(double[] p, double[] x, int y) {
        double a1 = x[0] * p[0] + x[1] * p[1];
        double a2 = x[1] * p[0] + x[2] * p[1];
        double o1 = Math.max(0, a1);
        double o2 = Math.max(0, a2);
        double yHat = o1 * p[2] + o2 * p[3];
        double m = -y * yHat;
        double loss = m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
        return new Forward(a1, a2, o1, o2, yHat, loss);
    }

    /** Closed-form gradient {dl/dw1, dl/dw2, dl/dv1, dl/dv2}. */
    static double[] gradient(double[] p, double[] x, int y) {
        Forward f = forward(p, x, y);
        double s = -y / (1 + Math.exp(y * f.yHat()));
        double r1 = f.a1() > 0 ? 1 : 0;
        double r2 = f.a2() > 0 ? 1 : 0;
        return new double[] {
            s * (p[2] * r1 * x[0] + p[3] * r2 * x[1]),
            s * (p[2] * r1 * x[1] + p[3] * r2 * x[2]),
            s * f.o1(),
            s * f.o2()};
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) {
        Random rnd = new Random(request.seed());
        reporter.answer("gradients", "s = dl/dy_hat = -y / (1 + exp(y y_hat)); dl/dv1 = s o1; dl/dv2 = s o2; "
                + "dl/dw1 = s (v1 1[a1>0] x1 + v2 1[a2>0] x2); dl/dw2 = s (v1 1[a1>0] x2 + v2 1[a2>0] x3)");

        // Gradient check at random points away from the ReLU kinks.
        int checks = request.params().integer("gradChecks");
        double eps = 1e-6;
        double maxErr = 0;
        int done = 0;
        while (done < checks) {
            double[] p = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            double[] x = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            int y = rnd.nextBoolean() ? 1 : -1;
            Forward f = forward(p, x, y);
            if (Math.abs(f.a1()) < 1e-3 || Math.abs(f.a2()) < 1e-3) {
                continue;
            }
            double[] g = gradient(p, x, y);
            for (int k = 0; k < 4; k++) {
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[k] += eps;
                minus[k] -= eps;
                double fd = (forward(plus, x, y).loss() - forward(minus, x, y).loss()) / (2 * eps);
                maxErr = Math.max(maxErr, Math.abs(fd - g[k]));
            }
            done++;
        }
        reporter.metric("gradCheckPoints", checks);
        reporter.verify("maxGradError", maxErr, GRAD_TOLERANCE);

        // Synthetic data labelled by a teacher mini CNN (w = (1, -1), v = (1, -1)): y = +1 iff its y_hat > 0,
        // the same rule the student predicts with (y_hat = 0 when both ReLUs are off means -1).
        int n = request.params().integer("examples");
        double[] teacher = {1, -1, 1, -1};
        double[][] xs = new double[n][];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            ys[i] = forward(teacher, xs[i], 1).yHat() > 0 ? 1 : -1;
        }
        double lr = request.params().decimal("learningRate");
        int epochs = request.params().integer("epochs");
        int restarts = request.params().integer("restarts");
        double[] restartAccuracies = new double[restarts];
        double[] bestParams = null;
        double[][] bestCurves = null;
        double acc = -1;
        for (int run = 0; run < restarts; run++) {
            double[][] curves = new double[2][epochs];
            double[] p = train(xs, ys, lr, epochs, rnd, curves, request.cancellation());
            restartAccuracies[run] = curves[1][epochs - 1];
            if (restartAccuracies[run] > acc) {
                acc = restartAccuracies[run];
                bestParams = p;
                bestCurves = curves;
            }
        }
        for (int e = 0; e < epochs; e++) {
            reporter.series("trainLoss").add(e + 1, bestCurves[0][e]);
            reporter.series("trainAccuracy").add(e + 1, bestCurves[1][e]);
        }
        double[] p = bestParams;
        reporter.plot(PlotSpec.lines("training.png", "Mini CNN trained by backprop", "epoch", "loss / accuracy",
                "trainLoss", "trainAccuracy"));
        reporter.answer("finalTrainAccuracy", acc);
        reporter.answer("learnedParameters", new double[] {p[0], p[1], p[2], p[3]});
        reporter.answer("restartAccuracies", restartAccuracies);
        reporter.metric("finalTrainAccuracy", acc);
    }

    /**
     * SGD with the backprop loop from a fresh random initialisation; fills curves[0] (mean loss)
     * and curves[1] (accuracy) per epoch and returns the parameters.
     */
    static double[] train(double[][] xs, int[] ys, double lr, int epochs, Random rnd, double[][] curves,
                          CancellationToken cancellation) {
        int n = xs.length;
        double[] p = {0.5 * rnd.nextGaussian(), 0.5 * rnd.nextGaussian(), 0.5 * rnd.nextGaussian(), 0.5 * rnd.nextGaussian()};
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i : order) {
                double[] g = gradient(p, xs[i], ys[i]);
                for (int k = 0; k < 4; k++) {
                    p[k] -= lr * g[k];
                }
            }
            double loss = 0;
            int correct = 0;
            for (int i = 0; i < n; i++) {
                Forward f = forward(p, xs[i], ys[i]);
                loss += f.loss();
                correct += (f.yHat() > 0 ? 1 : -1) == ys[i] ? 1 : 0;
            }
            curves[0][e] = loss / n;
            curves[1][e] = (double) correct / n;
            cancellation.throwIfCancelled();
        }
        return p;
    }
}
