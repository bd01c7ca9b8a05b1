package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;

/** `admm`: Standard ADMM with dual variables (SPEC 4.1, eqs. 5-6). */
public record Admm() implements FederatedAlgorithm {

    @Override
    public String id() {
        return "admm";
    }

    @Override
    public String description() {
        return "standard ADMM with dual variables (Lari et al. 2024, eqs. 5-6)";
    }

    @Override
    public StartUp startUp() {
        return StartUp.ALL_CLIENTS;
    }

    @Override
    public ClientRule newClient(ClientConstants constants, AlgorithmSettings settings) {
        return new AdmmClient(constants);
    }

    /** The batched form: one product per round for all the polled slots. */
    @Override
    public ClientBlock newClientBlock(ClientConstants constants, AlgorithmSettings settings, int trials) {
        return new AdmmClientBlock(constants, trials);
    }

    @Override
    public ServerRule newServer(ServerSetup setup) {
        return new AveragingServer(setup.clients(), setup.dimension(), setup.missing());
    }

    @Override
    public String toString() {
        return id();
    }
}
