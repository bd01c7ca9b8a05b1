package io.fedlink.core.engine;

import io.fedlink.core.metric.ConfidenceBand;

/**
 * The learning curves of every trial of one series, and the one place where they are averaged:
 * in trial order, in linear scale (SPEC 5), whatever order the trials finished in, so that every
 * engine gives the same mean bit for bit. The confidence band and the per-trial output come from
 * here too.
 *
 * <p>Filled by one thread at a time (the reference engine's collecting loop, the actor engine's
 * stream fold); read once filled.
 */
public final class TrialCurves {

    private final double[][] nmse;          // [trial][round - 1], linear
    private final int[] recorded;           // rounds recorded per trial

    /** Room for {@code trials} curves of {@code rounds} rounds. */
    public TrialCurves(int trials, int rounds) {
        if (trials < 1 || rounds < 1) {
            throw new IllegalArgumentException("trials and rounds must be at least 1, got " + trials + " and " + rounds);
        }
        this.nmse = new double[trials][rounds];
        this.recorded = new int[trials];
    }

    /** Records the linear NMSE of one trial after round {@code round} (1-based). */
    public void record(int trial, int round, double value) {
        nmse[trial][round - 1] = value;
        recorded[trial]++;
    }

    /** Records a whole trial's curve (rounds 1..T), copied. */
    public void record(int trial, double[] curve) {
        if (curve.length != rounds()) {
            throw new IllegalArgumentException("trial " + trial + " has " + curve.length + " rounds, expected " + rounds());
        }
        System.arraycopy(curve, 0, nmse[trial], 0, curve.length);
        recorded[trial] = curve.length;
    }

    /** M. */
    public int trials() {
        return nmse.length;
    }

    /** T. */
    public int rounds() {
        return nmse[0].length;
    }

    /** Linear NMSE of trial {@code trial} after round {@code round} (1-based). */
    public double nmse(int trial, int round) {
        return nmse[trial][round - 1];
    }

    /** The mean curve over trials, summed in trial order; fails if a trial is missing rounds. */
    public double[] mean() {
        final int rounds = rounds();
        final double[] mean = new double[rounds];
        for (int t = 0; t < nmse.length; t++) {
            if (recorded[t] != rounds) {
                throw new IllegalStateException("trial " + t + " delivered " + recorded[t] + " of " + rounds + " rounds");
            }
            for (int n = 0; n < rounds; n++) {
                mean[n] += nmse[t][n];
            }
        }
        for (int n = 0; n < rounds; n++) {
            mean[n] /= nmse.length;
        }
        return mean;
    }

    /** The 95% confidence band of {@link #mean()}, or null with a single trial (see {@link ConfidenceBand}). */
    public ConfidenceBand band() {
        return ConfidenceBand.of(nmse, mean());
    }
}
