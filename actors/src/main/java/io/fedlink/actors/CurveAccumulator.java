package io.fedlink.actors;

import io.fedlink.core.engine.TrialCurves;

/**
 * The fold at the end of the metrics stream: hands every round's NMSE to the series'
 * {@link TrialCurves} (which averages in trial order, as the reference engine does, whatever order
 * the trials finished in) and keeps what only the actors measure: round times and message counts.
 */
final class CurveAccumulator {

    private final TrialCurves curves;
    private final double[][] seconds;
    private long clientUpdates;
    private long droppedPolls;
    private long rejectedUploads;
    private long lostUplinks;
    private long lostDownlinks;

    CurveAccumulator(int trials, int rounds) {
        this.curves = new TrialCurves(trials, rounds);
        this.seconds = new double[trials][rounds];
    }

    CurveAccumulator add(RoundMetrics m) {
        curves.record(m.trial(), m.round(), m.nmse());
        seconds[m.trial()][m.round() - 1] = m.seconds();
        clientUpdates += m.clientUpdates();
        droppedPolls += m.dropped();
        rejectedUploads += m.rejected();
        lostUplinks += m.lostUplinks();
        lostDownlinks += m.lostDownlinks();
        return this;
    }

    /** Every trial's curve; its mean fails if a trial is missing rounds. */
    TrialCurves curves() {
        return curves;
    }

    /** When each round closed, in seconds since its trial's start-up, averaged over trials. */
    double[] meanSeconds() {
        final double[] mean = new double[seconds[0].length];
        for (double[] trial : seconds) {
            for (int n = 0; n < mean.length; n++) {
                mean[n] += trial[n];
            }
        }
        for (int n = 0; n < mean.length; n++) {
            mean[n] /= seconds.length;
        }
        return mean;
    }

    long clientUpdates() {
        return clientUpdates;
    }

    long droppedPolls() {
        return droppedPolls;
    }

    long rejectedUploads() {
        return rejectedUploads;
    }

    long lostUplinks() {
        return lostUplinks;
    }

    long lostDownlinks() {
        return lostDownlinks;
    }
}
