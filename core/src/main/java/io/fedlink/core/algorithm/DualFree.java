package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;

/** `dual-free`: ADMM with the dual variable eliminated, full participation only (SPEC 4.2, eqs. 9-11). */
public record DualFree() implements FederatedAlgorithm {

    @Override
    public String id() {
        return "dual-free";
    }

    @Override
    public String description() {
        return "ADMM without the dual variable, full participation only (eqs. 9-11)";
    }

    @Override
    public StartUp startUp() {
        return StartUp.ALL_CLIENTS;
    }

    @Override
    public boolean requiresFullParticipation() {
        return true;
    }

    @Override
    public ClientRule newClient(ClientConstants constants, AlgorithmSettings settings) {
        return new RerceClient(constants);
    }

    /** The batched form: one product per round for all the polled slots. */
    @Override
    public ClientBlock newClientBlock(ClientConstants constants, AlgorithmSettings settings, int trials) {
        return new RerceClientBlock(constants, trials);
    }

    @Override
    public ServerRule newServer(ServerSetup setup) {
        return new ExtrapolatingServer(setup.clients(), setup.dimension(), setup.missing());
    }

    @Override
    public String toString() {
        return id();
    }
}
