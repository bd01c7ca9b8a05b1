package io.fedlink.core.theory;

/**
 * What the theory says about one `rerce` configuration: the exact predicted learning curve (SPEC
 * 7.2) and, beside it and labelled as such, the paper's approximation (SPEC 7.1).
 *
 * @param selected C, clients polled per round
 * @param links    the link variances the prediction is for
 * @param exact    the exact mean-square prediction, rounds 1..T
 * @param paper    the paper's approximate steady state and the growth factor of its recursion
 */
public record TheoryReport(int selected, LinkVariances links, LearningCurve exact, PaperApproximation.Estimate paper) {

    /** The exact predicted NMSE after rounds 1..T, linear, index n-1 for round n. */
    public double[] nmse() {
        return exact.nmse();
    }

    /** The exact predicted steady state: linear mean of the last 20% of rounds, in dB. */
    public double steadyStateDb() {
        return exact.steadyStateDb();
    }

    /** The paper's approximate steady state in dB (+infinity where its recursion diverges). */
    public double paperApproximationDb() {
        return paper.steadyStateDb();
    }

    /** The round at which the exact predicted curve left the finite range (Nmse.divergedRound), 0 if never. */
    public int divergedRound() {
        return io.fedlink.core.metric.Nmse.divergedRound(exact.nmse());
    }

    /** The same for the paper's own recursion (0 if it stayed in range over the horizon). */
    public int paperDivergedRound() {
        return paper.divergedRound();
    }

    /** T. */
    public int rounds() {
        return exact.rounds();
    }
}
