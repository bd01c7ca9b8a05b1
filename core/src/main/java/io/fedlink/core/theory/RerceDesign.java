package io.fedlink.core.theory;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.metric.Nmse;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Design questions answered with the exact theory (SPEC 7.2) instead of Monte Carlo: how few
 * clients per round, or how noisy the links, can be while `rerce` still reaches a target steady
 * state over a given horizon. "Reaches" means a predicted steady state (linear mean of the last 20%
 * of {@code rounds}, in dB, the window of SPEC 5) at or below the target; with noiseless links the
 * NMSE keeps falling slowly, so the answers depend on the horizon, exactly as a simulation's would.
 */
public final class RerceDesign {

    private final FederatedProblem problem;
    private final int rounds;

    /** Design answers for {@code problem} over rounds 1..{@code rounds}. */
    public RerceDesign(FederatedProblem problem, int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        this.problem = problem;
        this.rounds = rounds;
    }

    /**
     * The exact predicted steady state in dB for C = {@code selected} over these links; +Infinity
     * when the prediction diverges (leaves the finite range within the rounds, {@link Nmse#divergedRound}),
     * as theory.csv reports such a point.
     */
    public double steadyStateDb(int selected, LinkVariances links) {
        return Nmse.toDb(steadyStateLinear(selected, links));
    }

    private double steadyStateLinear(int selected, LinkVariances links) {
        final double[] curve = RerceMeanSquareTheory.of(problem, selected, links).learningCurve(rounds);
        if (Nmse.divergedRound(curve) > 0) {
            return Double.POSITIVE_INFINITY;
        }
        final int window = Nmse.steadyStateWindow(rounds);
        double sum = 0.0;
        for (int i = rounds - window; i < rounds; i++) {
            sum += curve[i];
        }
        return sum / window;
    }

    /**
     * The smallest C in 1..K whose predicted steady state is at or below {@code targetDb}, or empty
     * when even C = K misses it. Found by bisection, which assumes that the prediction falls as C
     * grows (true wherever it has been measured, see docs/theory.md); whatever the shape, the answer
     * C meets the target and C - 1 does not. log2(K) + 2 predictions at most.
     */
    public OptionalInt smallestSelection(double targetDb, LinkVariances links) {
        final int clients = problem.clientCount();
        if (steadyStateDb(clients, links) > targetDb) {
            return OptionalInt.empty();
        }
        if (steadyStateDb(1, links) <= targetDb) {
            return OptionalInt.of(1);
        }
        int missing = 1;          // misses the target
        int meeting = clients;    // meets it
        while (meeting - missing > 1) {
            final int middle = (missing + meeting) >>> 1;
            if (steadyStateDb(middle, links) <= targetDb) {
                meeting = middle;
            } else {
                missing = middle;
            }
        }
        return OptionalInt.of(meeting);
    }

    /**
     * The largest factor f such that the links {@code shape} scaled by f (every uplink and downlink
     * variance multiplied by f) still give a predicted steady state at or below {@code targetDb} at
     * C = {@code selected}; empty when even noiseless links miss the target, +infinity when the
     * noise has no effect.
     *
     * <p>No bisection is needed: the predicted second moment is exactly affine in the link variances
     * (they enter only E[v v^T] and R_0, linearly, and B(a) does not depend on them), so the window
     * mean is m(f) = m(0) + f (m(1) - m(0)) and f = (target - m(0)) / (m(1) - m(0)), in linear
     * scale, from two predictions. The answer is exact to rounding (relative error about 1e-12
     * measured at K = L = 6); tests check the prediction at f and at f (1 +- 1e-6).
     */
    public OptionalDouble largestLinkScale(int selected, LinkVariances shape, double targetDb) {
        final double target = Math.pow(10.0, targetDb / 10.0);
        final double noiseless = steadyStateLinear(selected, LinkVariances.noiseless(problem.clientCount()));
        if (noiseless > target) {
            return OptionalDouble.empty();
        }
        final double slope = steadyStateLinear(selected, shape) - noiseless;
        if (!(slope > 0.0)) {
            return OptionalDouble.of(Double.POSITIVE_INFINITY);
        }
        return OptionalDouble.of((target - noiseless) / slope);
    }

    /**
     * The largest variance s2, the same on every uplink and downlink, at which C = {@code selected}
     * still reaches {@code targetDb}; empty when even noiseless links miss it.
     */
    public OptionalDouble largestLinkVariance(int selected, double targetDb) {
        return largestLinkScale(selected, LinkVariances.uniform(problem.clientCount(), 1.0, 1.0), targetDb);
    }
}
