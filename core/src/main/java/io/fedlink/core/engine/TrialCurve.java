package io.fedlink.core.engine;

/**
 * The outcome of one trial of one series.
 *
 * @param nmse          linear NMSE after rounds 1..T (index n-1 for round n)
 * @param clientUpdates local client steps the trial performed
 */
public record TrialCurve(double[] nmse, long clientUpdates) {
}
