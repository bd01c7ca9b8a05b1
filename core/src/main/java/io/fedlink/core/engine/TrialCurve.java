package io.fedlink.core.engine;

/**
 * The outcome of one trial of one series.
 *
 * @param nmse          linear NMSE after rounds 1..T (index n-1 for round n)
 * @param clientUpdates local client steps the trial performed
 * @param lostUplinks   uploads its uplinks lost (start-up included)
 * @param lostDownlinks polls its downlinks lost
 */
public record TrialCurve(double[] nmse, long clientUpdates, long lostUplinks, long lostDownlinks) {

    /** A trial over links that lost nothing. */
    public TrialCurve(double[] nmse, long clientUpdates) {
        this(nmse, clientUpdates, 0, 0);
    }
}
