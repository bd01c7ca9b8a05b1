package io.fedlink.core.engine;

import io.fedlink.core.metric.ConfidenceBand;
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
 * @param trialCurves   every trial's curve, whose mean {@code nmse} is; null when not kept
 * @param lostUplinks   uploads the uplinks lost, over all trials (start-up uploads included)
 * @param lostDownlinks polls the downlinks lost, over all trials
 */
public record SeriesResult(SeriesSpec spec, double[] nmse, int trials, long clientUpdates, double seconds,
                           double[] roundSeconds, long droppedPolls, TrialCurves trialCurves, long lostUplinks,
                           long lostDownlinks) {

    /** A result over links that lost nothing. */
    public SeriesResult(SeriesSpec spec, double[] nmse, int trials, long clientUpdates, double seconds,
                        double[] roundSeconds, long droppedPolls, TrialCurves trialCurves) {
        this(spec, nmse, trials, clientUpdates, seconds, roundSeconds, droppedPolls, trialCurves, 0, 0);
    }

    /** A result without round timings, in which every poll was answered. */
    public SeriesResult(SeriesSpec spec, double[] nmse, int trials, long clientUpdates, double seconds) {
        this(spec, nmse, trials, clientUpdates, seconds, null, 0, null);
    }

    /** A result whose mean curve is that of {@code curves} (averaged there, in trial order). */
    public SeriesResult(SeriesSpec spec, TrialCurves curves, long clientUpdates, double seconds,
                        double[] roundSeconds, long droppedPolls) {
        this(spec, curves.mean(), curves.trials(), clientUpdates, seconds, roundSeconds, droppedPolls, curves);
    }

    /** The same result with the transmissions its links lost. */
    public SeriesResult withLosses(long uplinks, long downlinks) {
        return new SeriesResult(spec, nmse, trials, clientUpdates, seconds, roundSeconds, droppedPolls, trialCurves,
                uplinks, downlinks);
    }

    /** The curve in dB, a new array. */
    public double[] nmseDb() {
        return Nmse.toDb(nmse);
    }

    /**
     * Linear mean over the last 20% of rounds, in dB (SPEC section 5). A number even for a diverging
     * series: check {@link #divergedRound()} before reporting it as a steady state.
     */
    public double steadyStateDb() {
        return Nmse.steadyStateDb(nmse);
    }

    /** The round at which the mean curve left the finite range ({@link Nmse#divergedRound}), 0 if it did not. */
    public int divergedRound() {
        return Nmse.divergedRound(nmse);
    }

    /** The 95% confidence band of the mean curve; null with one trial or when trial curves were not kept. */
    public ConfidenceBand band() {
        return trialCurves == null ? null : trialCurves.band();
    }

    /** Client updates per second of this series' wall-clock time. */
    public double updatesPerSecond() {
        return clientUpdates / Math.max(seconds, 1e-9);
    }

    public int rounds() {
        return nmse.length;
    }
}
