package dlx.theory;

import dlx.api.Experiment;
import dlx.api.ExperimentSpec;
import dlx.api.ParamSpec;
import dlx.api.PlotSpec;
import dlx.api.RunReporter;
import dlx.api.RunRequest;
import dlx.kit.data.FashionMnist;
import java.nio.file.Path;

/**
 * The multiclass perceptron on a Fashion-MNIST subset, primal and kernelised. Loss
 * L(W; x, y) = max_k w_kᵀx − w_yᵀx; for ŷ = argmax_k w_kᵀx ≠ y its gradient is +x for w_ŷ and −x
 * for w_y, so SGD with learning rate 1 does w_y += x, w_ŷ −= x on each mistake. Starting from
 * zero, w_k = Σ_i α_ik x_i, which gives the kernelised form score_k(x) = Σ_i α_ik K(x_i, x) with
 * updates α_iy += 1, α_iŷ −= 1. Pixels are used as their integer byte values (the perceptron from
 * zero is invariant to scaling the inputs), so both versions run in exact integer arithmetic and
 * must make identical predictions.
 */
public final class MulticlassPerceptronExperiment implements Experiment {
    static final int CLASSES = 10;

    @Override
    public ExperimentSpec spec() {
        return ExperimentSpec.builder("theory.multiclass-perceptron")
                .title("Multiclass perceptron: primal SGD versus the kernelised form on Fashion-MNIST")
                .description("Gradient of the multiclass perceptron loss, its SGD update with learning rate 1 and its "
                        + "kernelised form; both trained on a Fashion-MNIST subset, with the linear kernel giving "
                        + "exactly the primal predictions.")
                .param(ParamSpec.path("dataDir").help("folder with the Fashion-MNIST IDX files (default: DLX_DATA, then "
                        + "/usr/share/datasets/fashion-mnist from Debian's dataset-fashion-mnist, then the download cache)"))
                .param(ParamSpec.integer("trainSize", 5000).quick(1000).range(1, 60000).help("training examples"))
                .param(ParamSpec.integer("testSize", 2000).quick(500).range(1, 10000).help("test examples"))
                .param(ParamSpec.integer("epochs", 3).quick(2).range(1, 100).help("passes over the training subset"))
                .build();
    }

    @Override
    public void run(RunRequest request, RunReporter reporter) throws Exception {
        Path dir = FashionMnist.locate(request.params().path("dataDir"), request.data(), reporter);
        int nTrain = request.params().integer("trainSize");
        int nTest = request.params().integer("testSize");
        int epochs = request.params().integer("epochs");
        FashionMnist.Splits splits = FashionMnist.courseSplits(dir, request.seed(), nTrain, 0, nTest);
        int[][] xTrain = bytes(splits.train());
        int[] yTrain = splits.train().labels();
        int[][] xTest = bytes(splits.test());
        int[] yTest = splits.test().labels();
        reporter.log("Fashion-MNIST from " + dir + ": " + xTrain.length + " train, " + xTest.length + " test");

        reporter.answer("gradient", "L = max_k w_k.x - w_y.x; with y_hat = argmax_k w_k.x: dL/dw_{y_hat} = x, dL/dw_y = -x, "
                + "other rows 0 (the whole gradient is 0 when y_hat = y)");
        reporter.answer("update", "learning rate 1, on a mistake only: w_y <- w_y + x, w_{y_hat} <- w_{y_hat} - x");
        reporter.answer("kernelForm", "w_k = sum_i alpha_ik x_i, score_k(x) = sum_i alpha_ik K(x_i, x); on a mistake on x_i: "
                + "alpha_{i,y_i} += 1, alpha_{i,y_hat} -= 1; predict argmax_k score_k(x)");

        // Primal.
        long[][] w = new long[CLASSES][xTrain[0].length];
        int[][] primalTrainPreds = new int[epochs][xTrain.length];
        long mistakes = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = 0; i < xTrain.length; i++) {
                int pred = argmax(primalScores(w, xTrain[i]));
                primalTrainPreds[e][i] = pred;
                if (pred != yTrain[i]) {
                    mistakes++;
                    for (int j = 0; j < xTrain[i].length; j++) {
                        w[yTrain[i]][j] += xTrain[i][j];
                        w[pred][j] -= xTrain[i][j];
                    }
                }
            }
            int[] testPreds = new int[xTest.length];
            for (int i = 0; i < xTest.length; i++) {
                testPreds[i] = argmax(primalScores(w, xTest[i]));
            }
            reporter.series("primalTestAccuracy").add(e + 1, accuracy(testPreds, yTest));
            request.checkCancelled();
        }
        int[] primalTest = new int[xTest.length];
        for (int i = 0; i < xTest.length; i++) {
            primalTest[i] = argmax(primalScores(w, xTest[i]));
        }

        // Kernelised, with the linear kernel K(a, b) = a.b.
        Kernel linear = MulticlassPerceptronExperiment::dot;
        long[][] gram = new long[xTrain.length][xTrain.length];
        for (int i = 0; i < xTrain.length; i++) {
            for (int j = 0; j <= i; j++) {
                gram[i][j] = linear.apply(xTrain[i], xTrain[j]);
                gram[j][i] = gram[i][j];
            }
            if (i % 200 == 0) {
                request.checkCancelled();
            }
        }
        int[][] alpha = new int[xTrain.length][CLASSES];
        boolean[] support = new boolean[xTrain.length];
        long trainMismatches = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = 0; i < xTrain.length; i++) {
                long[] s = new long[CLASSES];
                for (int j = 0; j < xTrain.length; j++) {
                    if (support[j]) {
                        for (int k = 0; k < CLASSES; k++) {
                            s[k] += alpha[j][k] * gram[j][i];
                        }
                    }
                }
                int pred = argmax(s);
                if (pred != primalTrainPreds[e][i]) {
                    trainMismatches++;
                }
                if (pred != yTrain[i]) {
                    alpha[i][yTrain[i]]++;
                    alpha[i][pred]--;
                    support[i] = true;
                }
            }
            request.checkCancelled();
        }
        int[] kernelTest = new int[xTest.length];
        long testMismatches = 0;
        for (int t = 0; t < xTest.length; t++) {
            long[] s = new long[CLASSES];
            for (int j = 0; j < xTrain.length; j++) {
                if (support[j]) {
                    long k = linear.apply(xTrain[j], xTest[t]);
                    for (int c = 0; c < CLASSES; c++) {
                        s[c] += alpha[j][c] * k;
                    }
                }
            }
            kernelTest[t] = argmax(s);
            if (kernelTest[t] != primalTest[t]) {
                testMismatches++;
            }
        }

        // w_k = sum_i alpha_ik x_i, exactly.
        long weightResidual = 0;
        for (int k = 0; k < CLASSES; k++) {
            for (int p = 0; p < w[k].length; p++) {
                long s = 0;
                for (int i = 0; i < xTrain.length; i++) {
                    s += (long) alpha[i][k] * xTrain[i][p];
                }
                weightResidual = Math.max(weightResidual, Math.abs(s - w[k][p]));
            }
        }
        int supportCount = 0;
        for (boolean b : support) {
            supportCount += b ? 1 : 0;
        }

        double primalAcc = accuracy(primalTest, yTest);
        double kernelAcc = accuracy(kernelTest, yTest);
        reporter.plot(PlotSpec.lines("primal-test-accuracy.png", "Primal perceptron: test accuracy by epoch", "epoch",
                "accuracy", "primalTestAccuracy"));
        reporter.answer("primalAccuracy", primalAcc);
        reporter.answer("kernelAccuracy", kernelAcc);
        reporter.answer("predictionsIdentical", trainMismatches == 0 && testMismatches == 0);
        reporter.metric("trainMistakes", mistakes);
        reporter.metric("supportVectors", supportCount);
        reporter.metric("trainSize", xTrain.length);
        reporter.metric("testSize", xTest.length);
        reporter.log(String.format("primal accuracy %.4f, kernel accuracy %.4f, %d mistakes, %d support vectors",
                primalAcc, kernelAcc, mistakes, supportCount));
        reporter.verify("predictionMismatches", trainMismatches + testMismatches, 0.5);
        reporter.verify("weightResidual", weightResidual, 0.5);
    }

    /** A kernel over integer pixel vectors. */
    @FunctionalInterface
    interface Kernel {
        long apply(int[] a, int[] b);
    }

    static long dot(int[] a, int[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static long[] primalScores(long[][] w, int[] x) {
        long[] s = new long[w.length];
        for (int k = 0; k < w.length; k++) {
            long v = 0;
            for (int j = 0; j < x.length; j++) {
                v += w[k][j] * x[j];
            }
            s[k] = v;
        }
        return s;
    }

    /** Index of the largest score; ties go to the lowest class. */
    static int argmax(long[] s) {
        int best = 0;
        for (int k = 1; k < s.length; k++) {
            if (s[k] > s[best]) {
                best = k;
            }
        }
        return best;
    }

    static double accuracy(int[] pred, int[] labels) {
        int c = 0;
        for (int i = 0; i < pred.length; i++) {
            c += pred[i] == labels[i] ? 1 : 0;
        }
        return (double) c / pred.length;
    }

    /** Pixels back to their byte values 0..255. */
    static int[][] bytes(FashionMnist.Split split) {
        int[][] out = new int[split.count()][FashionMnist.PIXELS];
        float[] im = split.images();
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < FashionMnist.PIXELS; j++) {
                out[i][j] = Math.round(im[i * FashionMnist.PIXELS + j] * 255f);
            }
        }
        return out;
    }
}
