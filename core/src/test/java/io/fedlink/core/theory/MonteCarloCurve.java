package io.fedlink.core.theory;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.metric.Nmse;
import java.util.stream.IntStream;

/**
 * A Monte Carlo learning curve from the reference engine, with the standard error of every round:
 * the trials of {@link ReferenceEngine#runTrial} (the engine's own rules, streams and seeds), run in
 * parallel and summed in trial order. The mean equals what {@link ReferenceEngine#run} reports.
 */
record MonteCarloCurve(double[] mean, double[] standardError, int trials) {

    static MonteCarloCurve simulate(Experiment experiment, FederatedProblem problem, SeriesSpec series) {
        final int trials = experiment.trials();
        final int rounds = experiment.rounds();
        final double[][] curves = new double[trials][];
        IntStream.range(0, trials).parallel()
                .forEach(t -> curves[t] = ReferenceEngine.runTrial(experiment, problem, series, t).nmse());
        final double[] mean = new double[rounds];
        final double[] squares = new double[rounds];
        for (double[] curve : curves) {
            for (int n = 0; n < rounds; n++) {
                mean[n] += curve[n];
                squares[n] += curve[n] * curve[n];
            }
        }
        final double[] standardError = new double[rounds];
        for (int n = 0; n < rounds; n++) {
            mean[n] /= trials;
            final double variance = Math.max(0.0, squares[n] / trials - mean[n] * mean[n]) * trials / (trials - 1.0);
            standardError[n] = Math.sqrt(variance / trials);
        }
        return new MonteCarloCurve(mean, standardError, trials);
    }

    /** Linear mean over the last 20% of rounds, in dB: the engine's steady state. */
    double steadyStateDb() {
        return Nmse.steadyStateDb(mean);
    }

    /** NMSE after round n (1-based), linear. */
    double afterRound(int round) {
        return mean[round - 1];
    }

    /** Standard error of the NMSE after round n (1-based), linear. */
    double standardErrorAfterRound(int round) {
        return standardError[round - 1];
    }
}
