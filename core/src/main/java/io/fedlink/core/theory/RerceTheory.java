package io.fedlink.core.theory;

import io.fedlink.core.data.FederatedProblem;

/**
 * The entry point of the steady-state theory of `rerce` (SPEC section 7), for the command line and
 * for reports: one call gives the exact predicted learning curve, its steady state, and the paper's
 * approximation beside it.
 */
public final class RerceTheory {

    private RerceTheory() {
    }

    /**
     * Refuses every algorithm but `rerce`: the prediction is the exact second-moment recursion of
     * rerce's round (SPEC 7.2), and no other algorithm, built in or plug-in, has one here.
     *
     * @throws IllegalArgumentException "no exact theory for ALGORITHM", with what there is
     */
    public static void requireExactTheory(io.fedlink.core.algorithm.FederatedAlgorithm algorithm) {
        if (!algorithm.equals(io.fedlink.core.algorithm.FederatedAlgorithm.RERCE)) {
            throw new IllegalArgumentException("no exact theory for " + algorithm.id() + ": the prediction is the exact "
                    + "mean-square recursion of rerce (SPEC 7.2) alone; run fedlink simulate --algorithm "
                    + algorithm.id() + " for Monte Carlo curves");
        }
    }

    /**
     * Predicts `rerce` on {@code problem} with C = {@code selected} of K clients polled uniformly per
     * round, over links of the given variances, for rounds 1..{@code rounds}.
     */
    public static TheoryReport predict(FederatedProblem problem, int selected, LinkVariances links, int rounds) {
        final LearningCurve exact = RerceMeanSquareTheory.of(problem, selected, links).predict(rounds);
        final PaperApproximation.Estimate paper = PaperApproximation.of(problem, selected, links).estimate(rounds);
        return new TheoryReport(selected, links, exact, paper);
    }

    /**
     * The same over links that may lose transmissions ({@link TheoryLinks}): the exact curve; the
     * paper's approximation only where nothing is lost (it has no erasures), else {@link
     * PaperApproximation.Estimate#NOT_APPLICABLE}.
     */
    public static TheoryReport predict(FederatedProblem problem, int selected, TheoryLinks links, int rounds) {
        if (links.lossless()) {
            return predict(problem, selected, links.variances(), rounds);
        }
        final LearningCurve exact = RerceMeanSquareTheory.of(problem, selected, links.variances(), links.delivery())
                .predict(rounds);
        return new TheoryReport(selected, links.variances(), exact, PaperApproximation.Estimate.NOT_APPLICABLE);
    }

    /** The same with one uplink and one downlink variance for every client. */
    public static TheoryReport predict(FederatedProblem problem, int selected,
                                       double uplinkVariance, double downlinkVariance, int rounds) {
        return predict(problem, selected,
                LinkVariances.uniform(problem.clientCount(), uplinkVariance, downlinkVariance), rounds);
    }

    /** The exact predicted curve alone, without the paper's approximation (half the work or less). */
    public static LearningCurve exact(FederatedProblem problem, int selected, LinkVariances links, int rounds) {
        return RerceMeanSquareTheory.of(problem, selected, links).predict(rounds);
    }
}
