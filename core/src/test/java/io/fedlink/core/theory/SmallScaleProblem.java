package io.fedlink.core.theory;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;

/** The paper's small-scale theory setting (SPEC 6 and 7.3): K = L = 6, d_k ~ U{2..5}, rho = 1. */
final class SmallScaleProblem {

    static final int CLIENTS = 6;
    static final int ROUNDS = 400;
    private static final FederatedProblem PROBLEM =
            FederatedProblem.generate(TheoryVersusSimulationTest.SEED, CLIENTS, 6, SampleCounts.uniform(2, 5), 1.0);

    private SmallScaleProblem() {
    }

    /** The problem of {@link TheoryVersusSimulationTest}, generated once (it is read-only). */
    static FederatedProblem get() {
        return PROBLEM;
    }

    static LinkVariances links(double uplink, double downlink) {
        return LinkVariances.uniform(CLIENTS, uplink, downlink);
    }
}
