package io.fedlink.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The band's Student t factor, against the t distribution integrated numerically, and its coverage. */
class ConfidenceBandTest {

    /** P(T <= q) for Student's t with v degrees of freedom, by Simpson's rule on the density. */
    private static double studentCdf(double q, int v) {
        final double logNorm = logGamma((v + 1) / 2.0) - logGamma(v / 2.0) - 0.5 * Math.log(v * Math.PI);
        final int steps = 200_000;
        final double h = q / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            final double x = i * h;
            final double f = Math.exp(logNorm - (v + 1) / 2.0 * Math.log1p(x * x / v));
            sum += (i == 0 || i == steps) ? f : (i % 2 == 1 ? 4 * f : 2 * f);
        }
        return 0.5 + sum * h / 3;
    }

    /** Lanczos approximation (g = 7, n = 9), accurate to about 1e-15 relative. */
    private static double logGamma(double x) {
        final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        x -= 1;
        double a = c[0];
        final double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 11, 30, 31, 45, 99, 500, 10_000})
    void quantileIsTheT975Point(int degreesOfFreedom) {
        final double q = ConfidenceBand.StudentT.quantile975(degreesOfFreedom);
        assertEquals(0.975, studentCdf(q, degreesOfFreedom), 2e-8, "df = " + degreesOfFreedom);
    }

    @Test
    void bandCoversTheTrueMeanNinetyFivePercentOfTheTime() {
        // 4000 experiments of M = 5 trials, NMSE-like positive values (lognormal): the t interval of the
        // mean should cover the true mean exp(1/2 sigma^2) in 95% of them, within binomial noise
        // (sd 0.34%); lognormal skew costs a little coverage at M = 5, so the window is [0.90, 0.97].
        final Random random = new Random(42);
        final double sigma = 0.5;
        final double truth = Math.exp(0.5 * sigma * sigma);
        int covered = 0;
        final int experiments = 4000;
        for (int e = 0; e < experiments; e++) {
            final double[][] trials = new double[5][1];
            double sum = 0;
            for (double[] t : trials) {
                t[0] = Math.exp(sigma * random.nextGaussian());
                sum += t[0];
            }
            final ConfidenceBand band = ConfidenceBand.of(trials, new double[] {sum / 5});
            if (band.lower()[0] <= truth && truth <= band.upper()[0]) {
                covered++;
            }
        }
        final double coverage = covered / (double) experiments;
        assertTrue(coverage > 0.90 && coverage < 0.97, "coverage " + coverage);
    }
}
