package io.fedlink.core.metric;

/**
 * A 95% confidence band for the mean learning curve of a series, round by round: the Student t
 * interval on the linear mean of the M trials,
 *
 * <pre>
 *   mean_n +- t_{0.975, M-1} s_n / sqrt(M),   s_n the sample standard deviation across trials
 * </pre>
 *
 * computed where the mean is (linear scale, SPEC 5) and only then mapped to dB. Trials are
 * independent draws of link noise and scheduling over the same data, so this is a band for the
 * expected NMSE of that data set. Where the lower end is not positive (very few trials, or a heavy
 * tail) the interval reaches zero NMSE and its lower end in dB is -infinity. With one trial there is
 * no spread to estimate and no band ({@link #of} returns null).
 *
 * @param lower linear lower end per round (may be &lt;= 0)
 * @param upper linear upper end per round
 */
public record ConfidenceBand(double[] lower, double[] upper) {

    /** Two-sided coverage of the band. */
    public static final double LEVEL = 0.95;

    /**
     * The band of the mean of {@code trials} (indexed [trial][round]), around {@code mean}, which must
     * be their mean; null for a single trial.
     */
    public static ConfidenceBand of(double[][] trials, double[] mean) {
        final int m = trials.length;
        if (m < 2) {
            return null;
        }
        final double halfWidthFactor = StudentT.quantile975(m - 1) / Math.sqrt(m);
        final double[] lower = new double[mean.length];
        final double[] upper = new double[mean.length];
        for (int n = 0; n < mean.length; n++) {
            double squares = 0.0;
            for (double[] trial : trials) {
                final double d = trial[n] - mean[n];
                squares += d * d;
            }
            final double half = halfWidthFactor * Math.sqrt(squares / (m - 1));
            lower[n] = mean[n] - half;
            upper[n] = mean[n] + half;
        }
        return new ConfidenceBand(lower, upper);
    }

    /** The lower end in dB, -infinity where it is not positive. A new array. */
    public double[] lowerDb() {
        final double[] db = new double[lower.length];
        for (int n = 0; n < db.length; n++) {
            db[n] = lower[n] > 0.0 ? Nmse.toDb(lower[n]) : Double.NEGATIVE_INFINITY;
        }
        return db;
    }

    /** The upper end in dB. A new array. */
    public double[] upperDb() {
        return Nmse.toDb(upper);
    }

    /** The 0.975 quantile of Student's t distribution, the factor of a two-sided 95% interval. */
    public static final class StudentT {

        /** t_{0.975, df} for df = 1..30 (df = index + 1), to nine decimals. */
        private static final double[] TABLE = {
            12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836,
            2.446911851, 2.364624252, 2.306004135, 2.262157163, 2.228138852,
            2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546,
            2.119905299, 2.109815578, 2.100922040, 2.093024054, 2.085963447,
            2.079613845, 2.073873068, 2.068657610, 2.063898562, 2.059538553,
            2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
        };
        /** The standard normal's 0.975 quantile. */
        private static final double Z = 1.959963984540054;

        private StudentT() {
        }

        /**
         * t_{0.975, df}: tabulated up to 30 degrees of freedom, beyond that the Cornish-Fisher expansion
         * in 1/df (error below 1e-7 from df = 30 on).
         */
        public static double quantile975(int degreesOfFreedom) {
            if (degreesOfFreedom < 1) {
                throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + degreesOfFreedom);
            }
            if (degreesOfFreedom <= TABLE.length) {
                return TABLE[degreesOfFreedom - 1];
            }
            final double v = degreesOfFreedom;
            final double z2 = Z * Z;
            final double g1 = (z2 + 1) * Z / 4;
            final double g2 = ((5 * z2 + 16) * z2 + 3) * Z / 96;
            final double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * Z / 384;
            final double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * Z / 92160;
            return Z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
        }
    }
}
