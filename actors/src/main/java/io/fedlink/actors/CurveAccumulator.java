package io.fedlink.actors;

/**
 * The fold at the end of the metrics stream: keeps every trial's curve and averages them in trial
 * order, in linear scale, exactly as the reference engine does, whatever order the trials finished in.
 */
final class CurveAccumulator {

    private final double[][] curves;
    private final double[][] seconds;
    private final int[] delivered;
    private long clientUpdates;
    private long droppedPolls;
    private long rejectedUploads;

    CurveAccumulator(int trials, int rounds) {
        this.curves = new double[trials][rounds];
        this.seconds = new double[trials][rounds];
        this.delivered = new int[trials];
    }

    CurveAccumulator add(RoundMetrics m) {
        curves[m.trial()][m.round() - 1] = m.nmse();
        seconds[m.trial()][m.round() - 1] = m.seconds();
        delivered[m.trial()]++;
        clientUpdates += m.clientUpdates();
        droppedPolls += m.dropped();
        rejectedUploads += m.rejected();
        return this;
    }

    /** The mean curve; fails if a trial is missing rounds. */
    double[] mean() {
        final int rounds = curves[0].length;
        final double[] mean = new double[rounds];
        for (int t = 0; t < curves.length; t++) {
            if (delivered[t] != rounds) {
                throw new IllegalStateException("trial " + t + " delivered " + delivered[t] + " of " + rounds + " rounds");
            }
            for (int n = 0; n < rounds; n++) {
                mean[n] += curves[t][n];
            }
        }
        for (int n = 0; n < rounds; n++) {
            mean[n] /= curves.length;
        }
        return mean;
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
}
