package io.fedlink.core.algorithm;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a server rule is made from: the federation's size, the model dimension, every client's
 * sample count (a server may weight uploads by it, as FedAvg does), the rule for missing uploads and
 * the algorithm's settings. A cluster's server node knows the sample counts from the experiment's
 * flags, without any client's data.
 */
public final class ServerSetup {

    private final int clients;
    private final int dimension;
    private final int[] samples;
    private final MissingUploads missing;
    private final AlgorithmSettings settings;

    /**
     * @param samples d_k for k = 0..K-1 (copied)
     */
    public ServerSetup(int clients, int dimension, int[] samples, MissingUploads missing, AlgorithmSettings settings) {
        if (samples.length != clients) {
            throw new IllegalArgumentException(samples.length + " sample counts for " + clients + " clients");
        }
        this.clients = clients;
        this.dimension = dimension;
        this.samples = samples.clone();
        this.missing = Objects.requireNonNull(missing, "missing");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Every client with one sample (weighted alike), options at their defaults: for tests and tools. */
    public static ServerSetup equalWeights(FederatedAlgorithm algorithm, int clients, int dimension,
                                           MissingUploads missing) {
        final int[] ones = new int[clients];
        Arrays.fill(ones, 1);
        return new ServerSetup(clients, dimension, ones, missing, AlgorithmSettings.defaults(algorithm));
    }

    /** K. */
    public int clients() {
        return clients;
    }

    /** L, the model dimension (not the length of what is exchanged). */
    public int dimension() {
        return dimension;
    }

    /** d_k of client k. */
    public int samples(int clientId) {
        return samples[clientId];
    }

    public MissingUploads missing() {
        return missing;
    }

    public AlgorithmSettings settings() {
        return settings;
    }
}
