package io.fedlink.algorithms;

import io.fedlink.core.algorithm.AlgorithmOption;
import java.util.List;

/** The flags the baselines share: an option declared alike by several algorithms is one flag. */
final class Options {

    static final String LOCAL_STEPS = "local-steps";
    static final String STEP_SIZE = "step-size";
    static final String WEIGHTS = "fedavg-weights";
    static final String MU = "mu";

    static final AlgorithmOption LOCAL_STEPS_OPTION = AlgorithmOption.integer(LOCAL_STEPS, "E", 5, 1, 10_000,
            "fedavg, fedprox, scaffold: local gradient steps per poll");
    static final AlgorithmOption STEP_SIZE_OPTION = AlgorithmOption.real(STEP_SIZE, "ETA", 1.0, 0.0, false, 2.0,
            false, "fedavg, fedprox, scaffold: the step size times the client's largest curvature "
                    + "(eta_k = ETA / lambda_max(H_k), plus mu_k for fedprox); below 2 for stable steps");
    static final AlgorithmOption WEIGHTS_OPTION = AlgorithmOption.choice(WEIGHTS, "samples",
            List.of("samples", "uniform"), "fedavg, fedprox: the server weights each upload by the client's samples "
                    + "d_k, or all alike");
    static final AlgorithmOption MU_OPTION = AlgorithmOption.real(MU, "MU", 0.1, 0.0, true,
            Double.POSITIVE_INFINITY, false, "fedprox: the proximal weight relative to the client's largest "
                    + "curvature (mu_k = MU lambda_max(H_k))");

    private Options() {
    }
}
