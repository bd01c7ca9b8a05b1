package io.fedlink.core.engine;

import io.fedlink.core.metric.Nmse;

/**
 * The learning curve of one series: the NMSE after rounds 1..T, averaged over trials in linear scale.
 *
 * @param nmse          linear NMSE, index n-1 for round n; not to be modified
 * @param clientUpdates local client steps performed over all trials (start-up uploads excluded)
 * @param seconds       wall-clock time the series took
 * @param roundSeconds  when each round closed, in seconds since its trial started, averaged over trials;
 *                      null when the engine does not measure it (the reference engine counts rounds only)
 * @param droppedPolls  polls that went unanswered over all trials (stopped or silent clients)
 */
public record SeriesResult(SeriesSpec spec, double[] nmse, int trials, long clientUpdates, double seconds,
                           double[] roundSeconds, long droppedPolls) {

    /** A result without round timings, in which every poll was answered. */
    public SeriesResult(SeriesSpec spec, double[] nmse, int trials, long clientUpdates, double seconds) {
        this(spec, nmse, trials, clientUpdates, seconds, null, 0);
    }

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
