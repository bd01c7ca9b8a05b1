package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;

/** `rerce-continual`: RERCE-Fed with continual local updates (SPEC 4.4, eqs. 13-14, Algorithm 5). */
public record RerceContinual() implements FederatedAlgorithm {

    @Override
    public String id() {
        return "rerce-continual";
    }

    @Override
    public String description() {
        return "RERCE-Fed with continual local updates by unpolled clients (eqs. 13-14)";
    }

    @Override
    public StartUp startUp() {
        return StartUp.ALL_CLIENTS;
    }

    @Override
    public boolean stepsWhenNotPolled() {
        return true;
    }

    @Override
    public ClientRule newClient(ClientConstants constants, AlgorithmSettings settings) {
        return new ContinualRerceClient(constants);
    }

    /** The batched form: one product per round for all the polled slots. */
    @Override
    public ClientBlock newClientBlock(ClientConstants constants, AlgorithmSettings settings, int trials) {
        return new ContinualClientBlock(constants, trials);
    }

    @Override
    public ServerRule newServer(ServerSetup setup) {
        return new ContinualServer(setup.clients(), setup.dimension());
    }

    @Override
    public String toString() {
        return id();
    }
}
