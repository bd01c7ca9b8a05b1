package io.fedlink.core.metric;

/**
 * The metric of SPEC section 5: NMSE_n = (1/K) sum_k ||w_{k,n} - w*||^2 / ||w*||^2 (eq. 35), averaged
 * over trials in linear scale and reported in dB; the steady state of a curve is the linear mean of
 * its last 20% of rounds.
 */
public final class Nmse {

    /** Fraction of the final rounds that the steady state averages. */
    public static final double STEADY_STATE_FRACTION = 0.2;

    /**
     * How far above its start a curve may rise before it counts as diverging: 1e6 (60 dB) times the
     * larger of its round-1 NMSE and 1. See {@link #divergedRound}.
     */
    public static final double DIVERGENCE_FACTOR = 1e6;

    private Nmse() {
    }

    /**
     * NMSE after one round (eq. 35) from the clients' squared deviations ||w_k - w*||^2, summed in
     * client-id order: the one place every engine and monitor computes it, so that they agree bit for bit.
     *
     * @param squaredDeviations entry k for client k; not modified
     * @param absent            clients that are not part of the federation (a cluster node that never
     *                          came), skipped; null when every client takes part
     * @param present           the number of clients taking part (K less the absent ones)
     */
    public static double of(double[] squaredDeviations, boolean[] absent, int present, double optimumSquaredNorm) {
        double sum = 0.0;
        for (int k = 0; k < squaredDeviations.length; k++) {
            if (absent == null || !absent[k]) {
                sum += squaredDeviations[k];
            }
        }
        return sum / (present * optimumSquaredNorm);
    }

    /** 10 log10(x). */
    public static double toDb(double linear) {
        return 10.0 * StrictMath.log10(linear);     // the same digits on every JVM
    }

    /** Each entry in dB, a new array. */
    public static double[] toDb(double[] linear) {
        final double[] db = new double[linear.length];
        for (int i = 0; i < linear.length; i++) {
            db[i] = toDb(linear[i]);
        }
        return db;
    }

    /** Number of final rounds the steady state averages: ceil(20% of T), at least one. */
    public static int steadyStateWindow(int rounds) {
        return Math.max(1, (int) Math.ceil(STEADY_STATE_FRACTION * rounds - 1e-9));
    }

    /** The steady state in dB: linear mean over the last 20% of the (linear) curve. */
    public static double steadyStateDb(double[] linearCurve) {
        final int window = steadyStateWindow(linearCurve.length);
        double sum = 0.0;
        for (int i = linearCurve.length - window; i < linearCurve.length; i++) {
            sum += linearCurve[i];
        }
        return toDb(sum / window);
    }

    /**
     * The round at which a (linear) learning curve left the finite range, or 0 when it did not: the
     * first round n whose NMSE is not a finite number or exceeds {@link #DIVERGENCE_FACTOR} (60 dB)
     * times the larger of the round-1 NMSE and 1.
     *
     * <p>Why this bound: NMSE = 1 (0 dB) is the error of the zero model, an estimate that knows
     * nothing; a federation that is mean-square stable stays within a bounded factor of its start
     * (the largest transient of the paper's settings, Figure 1's, peaks 12 dB above its round-1 value,
     * at -9 dB). Sixty dB above both is growth, not a high floor; a steady state computed from such a
     * curve only says how long the run lasted. (Exponential growth crosses it within tens of rounds:
     * {@code --selected 1} at K = L = 6 passes it near round 80.) A curve that grows slowly may
     * stay under the bound over a short horizon: then it is not reported as diverging.
     *
     * @return the 1-based round, or 0 when the curve stays in range (an empty curve included)
     */
    public static int divergedRound(double[] linearCurve) {
        if (linearCurve.length == 0) {
            return 0;
        }
        for (int n = 0; n < linearCurve.length; n++) {
            if (beyondDivergenceBound(linearCurve[0], linearCurve[n])) {
                return n + 1;
            }
        }
        return 0;
    }

    /**
     * The test of {@link #divergedRound} for one round: true when {@code value} is not finite or
     * exceeds {@link #DIVERGENCE_FACTOR} times max(round-1 value, 1).
     */
    public static boolean beyondDivergenceBound(double roundOne, double value) {
        return !(value <= DIVERGENCE_FACTOR * Math.max(1.0, roundOne));   // NaN and infinities fail <= too
    }
}
