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
 * `scaffold`: SCAFFOLD (Karimireddy et al. 2020), local steps corrected by control variates
 * (docs/algorithms.md, section 3). What crosses the links is longer than the model: each upload is
 * (model delta, control delta), each broadcast (global model, global control variate), 2L numbers,
 * and the channels act on all of them: the control variates cross the noisy links too.
 */
public record Scaffold() implements FederatedAlgorithm {

    @Override
    public String id() {
        return "scaffold";
    }

    @Override
    public String description() {
        return "SCAFFOLD: local steps corrected by control variates, which cross the links too "
                + "(Karimireddy et al. 2020)";
    }

    @Override
    public List<AlgorithmOption> options() {
        return List.of(Options.LOCAL_STEPS_OPTION, Options.STEP_SIZE_OPTION);
    }

    @Override
    public int uploadLength(int dimension) {
        return 2 * dimension;
    }

    @Override
    public int broadcastLength(int dimension) {
        return 2 * dimension;
    }

    @Override
    public ClientRule newClient(ClientConstants constants, AlgorithmSettings settings) {
        return new ScaffoldClient(constants, settings.integer(Options.LOCAL_STEPS), settings.real(Options.STEP_SIZE));
    }

    @Override
    public ServerRule newServer(ServerSetup setup) {
        return new ScaffoldServer(setup);
    }

    @Override
    public String toString() {
        return id();
    }
}
