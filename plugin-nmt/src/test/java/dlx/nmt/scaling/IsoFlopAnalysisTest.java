package dlx.nmt.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsoFlopAnalysisTest {
    @Test
    void quadraticAndLineRecoverExactCoefficients() {
        double[] x = {0, 1, 2, 3, 4};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 - 3 * x[i] + 0.5 * x[i] * x[i];
        }
        double[] q = Fits.quadratic(x, y);
        assertThat(q[0]).isCloseTo(2, within(1e-9));
        assertThat(q[1]).isCloseTo(-3, within(1e-9));
        assertThat(q[2]).isCloseTo(0.5, within(1e-9));
        assertThat(Fits.argMin(x, y, q)).isCloseTo(3, within(1e-9));
        double[] l = Fits.line(new double[] {1, 2, 3}, new double[] {5, 7, 9});
        assertThat(l[0]).isCloseTo(3, within(1e-12));
        assertThat(l[1]).isCloseTo(2, within(1e-12));
    }

    @Test
    void nonConvexFitFallsBackToTheBestObservedPoint() {
        double[] x = {0, 1, 2};
        double[] y = {1, 3, 2};
        assertThat(Fits.argMin(x, y, Fits.quadratic(x, y))).isEqualTo(0);
    }

    /**
     * Synthetic IsoFLOP data with a known optimum: N_opt(C) = 0.1 · C^0.5, loss = L0(C) + 0.2 (ln N − ln N_opt)²,
     * so every quadratic fit is exact and the exponents are 0.5 (params) and 0.5 (tokens, as D = C / 6N).
     */
    @Test
    void recoversAKnownScalingLaw() {
        List<IsoFlopAnalysis.Run> runs = new ArrayList<>();
        double[] budgets = {1e12, 2e12, 4e12, 8e12, 16e12};
        for (double c : budgets) {
            double nOpt = 0.1 * Math.sqrt(c);
            for (int k = -3; k <= 2; k++) {
                long n = Math.round(nOpt * Math.exp(0.5 * k + 0.1));
                double loss = 3 - 0.1 * Math.log(c) + 0.2 * Math.pow(Math.log(n) - Math.log(nOpt), 2);
                runs.add(new IsoFlopAnalysis.Run(c, n, (long) (c / (6.0 * n)), loss));
            }
        }
        IsoFlopAnalysis a = new IsoFlopAnalysis(runs);
        assertThat(a.budgets()).hasSize(5);
        assertThat(a.budgets().get(0).nOpt()).isCloseTo(0.1 * Math.sqrt(1e12), within(0.1 * Math.sqrt(1e12) * 1e-4));
        assertThat(a.nOptExponent()).isCloseTo(0.5, within(1e-4));
        assertThat(a.tokensOptExponent()).isCloseTo(0.5, within(1e-4));
        assertThat(a.nOptAt(1e15)).isCloseTo(0.1 * Math.sqrt(1e15), within(0.1 * Math.sqrt(1e15) * 1e-3));
        assertThat(a.tokensOptAt(1e15)).isCloseTo(1e15 / (6 * 0.1 * Math.sqrt(1e15)), within(1e15 / (6 * 0.1 * Math.sqrt(1e15)) * 1e-3));
    }
}
