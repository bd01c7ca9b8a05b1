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
 * `fedavg`: Federated Averaging (McMahan et al. 2017) with full-batch local gradient steps
 * (docs/algorithms.md, section 1). The C polled clients start from the received global model, take
 * E steps on their weighted least-squares loss and upload their models; the server averages them,
 * weighted by d_k or alike. Start-up: the clients scheduled for round 0 upload wh_k.
 */
public record FedAvg() implements FederatedAlgorithm {

    @Override
    public String id() {
        return "fedavg";
    }

    @Override
    public String description() {
        return "Federated Averaging: E local gradient steps, weighted average of the models (McMahan et al. 2017)";
    }

    @Override
    public List<AlgorithmOption> options() {
        return List.of(Options.LOCAL_STEPS_OPTION, Options.STEP_SIZE_OPTION, Options.WEIGHTS_OPTION);
    }

    @Override
    public ClientRule newClient(ClientConstants constants, AlgorithmSettings settings) {
        return new LocalGradientClient(constants, settings.integer(Options.LOCAL_STEPS),
                settings.real(Options.STEP_SIZE), 0.0);
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
