package io.fedlink.algorithms;

import io.fedlink.core.algorithm.AlgorithmOption;
import io.fedlink.core.algorithm.AlgorithmSettings;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.algorithm.ServerSetup;
import io.fedlink.core.data.ClientConstants;
import java.util.List;

/**
 * `fedprox`: FedProx (Li et al. 2020), FedAvg whose local objective adds the proximal term
 * (mu_k / 2) ||w - w~||^2 around the received global model (docs/algorithms.md, section 2).
 */
public record FedProx() implements FederatedAlgorithm {

    @Override
    public String id() {
        return "fedprox";
    }

    @Override
    public String description() {
        return "FedProx: FedAvg with the proximal term (mu/2)||w - w_global||^2 in the local steps (Li et al. 2020)";
    }

    @Override
    public List<AlgorithmOption> options() {
        return List.of(Options.LOCAL_STEPS_OPTION, Options.STEP_SIZE_OPTION, Options.MU_OPTION,
                Options.WEIGHTS_OPTION);
    }

    @Override
    public ClientRule newClient(ClientConstants constants, AlgorithmSettings settings) {
        return new LocalGradientClient(constants, settings.integer(Options.LOCAL_STEPS),
                settings.real(Options.STEP_SIZE), settings.real(Options.MU));
    }

    @Override
    public ServerRule newServer(ServerSetup setup) {
        return new WeightedAveragingServer(setup, setup.settings().text(Options.WEIGHTS).equals("samples"));
    }

    @Override
    public String toString() {
        return id();
    }
}
