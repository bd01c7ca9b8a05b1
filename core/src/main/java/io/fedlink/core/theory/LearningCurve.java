package io.fedlink.core.theory;

import io.fedlink.core.metric.Nmse;

/**
 * A predicted learning curve: the linear NMSE after rounds 1..T (index n-1 for round n, the
 * indexing of the engine's {@link io.fedlink.core.engine.SeriesResult}) and its steady state.
 *
 * @param nmse linear NMSE per round; not to be modified
 */
public record LearningCurve(double[] nmse) {

    public LearningCurve {
        if (nmse.length == 0) {
            throw new IllegalArgumentException("a learning curve needs at least one round");
        }
    }

    /** T. */
    public int rounds() {
        return nmse.length;
    }

    /** NMSE after round n (1-based), linear. */
    public double afterRound(int round) {
        return nmse[round - 1];
    }

    /** The curve in dB, a new array. */
    public double[] nmseDb() {
        return Nmse.toDb(nmse);
    }

    /** Linear mean over the last 20% of rounds, in dB (SPEC section 5), the same window as simulation. */
    public double steadyStateDb() {
        return Nmse.steadyStateDb(nmse);
    }
}
