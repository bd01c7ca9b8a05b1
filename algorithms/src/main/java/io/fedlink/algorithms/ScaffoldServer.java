package io.fedlink.algorithms;

import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.algorithm.ServerSetup;

/**
 * The server of `scaffold` (docs/algorithms.md, section 3): it holds the global model x and control
 * variate c (both 0 before round 0) and broadcasts (x, c), 2L numbers. From the received uploads
 * (dy_k, dc_k), summed in id order:
 *
 * <pre>  x <- x + (1/|R_n|) sum dy_k   (1/C with --missing by-C),   c <- c + (1/K) sum dc_k  </pre>
 *
 * (global step size 1). A round in which nothing arrived holds both. Uplink noise on dc_k is added
 * to c round after round, never damped: c integrates it, as ADMM's dual does.
 */
final class ScaffoldServer implements ServerRule {

    private final int clients;
    private final int dimension;
    private final io.fedlink.core.algorithm.MissingUploads missing;
    private final double[] sum;                    // the round's dy and dc, 2L
    private final double[] state;                  // (x, c): the broadcast
    private final double[] global;                 // x, for globalModel()
    private int polled;
    private int received;
    private int lastClientId;

    ScaffoldServer(ServerSetup setup) {
        this.clients = setup.clients();
        this.dimension = setup.dimension();
        this.missing = setup.missing();
        this.sum = new double[2 * dimension];
        this.state = new double[2 * dimension];
        this.global = new double[dimension];
    }

    @Override
    public void beginRound(int polledClients) {
        java.util.Arrays.fill(sum, 0.0);
        polled = polledClients;
        received = 0;
        lastClientId = -1;
    }

    @Override
    public void receive(int clientId, double[] upload) {
        Checks.upload(clientId, upload, clients, 2 * dimension, lastClientId);
        lastClientId = clientId;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += upload[i];
        }
        received++;
    }

    @Override
    public void closeRound() {
        final int divisor = missing.denominator(polled, received);
        if (divisor == 0) {
            return;
        }
        for (int i = 0; i < dimension; i++) {
            state[i] += sum[i] / divisor;                                      // x <- x + mean dy
            state[dimension + i] += sum[dimension + i] / clients;              // c <- c + (1/K) sum dc
            global[i] = state[i];
        }
    }

    @Override
    public double[] broadcast() {
        return state;
    }

    @Override
    public double[] globalModel() {
        return global;
    }
}
