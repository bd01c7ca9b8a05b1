package io.fedlink.algorithms;

import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.algorithm.ServerSetup;

/**
 * The server of `fedavg` and `fedprox`: the global model is the weighted mean of the models received
 * in the round, weights a_k = d_k (the client's samples, FedAvg's) or 1, and it is what the server
 * broadcasts. Uploads come in ascending id order and are summed in it.
 *
 * <pre>  w_{n+1} = sum_{k in R_n} a_k w^_k / sum_{k in R_n} a_k  </pre>
 *
 * With {@link MissingUploads#BY_C} and uploads missing, the mean is scaled by |R_n| / C: a missing
 * upload counts as a zero of average weight, as eq. 12 takes it (with equal weights, sum / C). A round
 * in which nothing arrived holds the model.
 */
final class WeightedAveragingServer implements ServerRule {

    private final double[] weights;
    private final MissingUploads missing;
    private final int dimension;
    private final double[] sum;
    private final double[] global;
    private int polled;
    private int received;
    private double weightSum;
    private int lastClientId;

    WeightedAveragingServer(ServerSetup setup, boolean bySamples) {
        this.dimension = setup.dimension();
        this.weights = new double[setup.clients()];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = bySamples ? setup.samples(k) : 1.0;
        }
        this.missing = setup.missing();
        this.sum = new double[dimension];
        this.global = new double[dimension];
    }

    @Override
    public void beginRound(int polledClients) {
        java.util.Arrays.fill(sum, 0.0);
        polled = polledClients;
        received = 0;
        weightSum = 0.0;
        lastClientId = -1;
    }

    @Override
    public void receive(int clientId, double[] upload) {
        Checks.upload(clientId, upload, weights.length, dimension, lastClientId);
        lastClientId = clientId;
        final double a = weights[clientId];
        for (int i = 0; i < dimension; i++) {
            sum[i] += a * upload[i];
        }
        weightSum += a;
        received++;
    }

    @Override
    public void closeRound() {
        if (received == 0) {
            return;
        }
        // by-C with some uploads missing: |R| / C of the mean
        final double scale = missing.denominator(polled, received) == received ? 1.0 : (double) received / polled;
        for (int i = 0; i < dimension; i++) {
            global[i] = sum[i] / weightSum * scale;
        }
    }

    @Override
    public double[] broadcast() {
        return global;
    }

    @Override
    public double[] globalModel() {
        return global;
    }
}
