package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;

/** `rerce`: RERCE-Fed, dual-free with random scheduling (SPEC 4.3, eq. 12, Algorithm 4). */
public record Rerce() implements FederatedAlgorithm {

    @Override
    public String id() {
        return "rerce";
    }

    @Override
    public String description() {
        return "RERCE-Fed, dual-free ADMM with C of K clients polled per round (eq. 12)";
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
