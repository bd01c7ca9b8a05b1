package io.fedlink.core.engine;

import io.fedlink.core.metric.Nmse;

/**
 * The learning curve of one series: the NMSE after rounds 1..T, averaged over trials in linear scale.
 *
 * @param nmse          linear NMSE, index n-1 for round n; not to be modified
 * @param clientUpdates local client steps performed over all trials (start-up uploads excluded)
 * @param seconds       wall-clock time the series took
 */
public record SeriesResult(SeriesSpec spec, double[] nmse, int trials, long clientUpdates, double seconds) {

    /** The curve in dB, a new array. */
    public double[] nmseDb() {
        return Nmse.toDb(nmse);
    }

    /** Linear mean over the last 20% of rounds, in dB (SPEC section 5). */
    public double steadyStateDb() {
        return Nmse.steadyStateDb(nmse);
    }

    public int rounds() {
        return nmse.length;
    }
}
