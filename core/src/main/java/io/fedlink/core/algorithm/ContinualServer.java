package io.fedlink.core.algorithm;

/**
 * The server of RERCE-Fed with continual local updates (SPEC 4.4, eq. 14): it remembers the last
 * upload t~_k received from every client and broadcasts s_{n+1} = (1/K) sum_k t~_k, stale entries
 * included. The extrapolation happens on the clients.
 */
final class ContinualServer implements ServerRule {

    private final RoundCollector collector;
    private final double[][] latest;
    private final double[] broadcast;

    ContinualServer(int clients, int dimension) {
        this.collector = new RoundCollector(clients, dimension);
        this.latest = new double[clients][dimension];
        this.broadcast = new double[dimension];
    }

    @Override
    public void beginRound(int polled) {
        collector.begin(polled);
    }

    @Override
    public void receive(int clientId, double[] upload) {
        collector.check(clientId, upload);
        System.arraycopy(upload, 0, latest[clientId], 0, upload.length);   // t~_k <- received
    }

    @Override
    public void closeRound() {
        java.util.Arrays.fill(broadcast, 0.0);
        final int clients = latest.length;
        int k = 0;
        // Four uploads per pass over the broadcast: a quarter of its loads and stores, and each element
        // still adds t~_0, t~_1, ... in client order to +0, so the sum is the same bit for bit.
        for (; k + 3 < clients; k += 4) {
            final double[] u0 = latest[k];
            final double[] u1 = latest[k + 1];
            final double[] u2 = latest[k + 2];
            final double[] u3 = latest[k + 3];
            for (int i = 0; i < broadcast.length; i++) {
                broadcast[i] = (((broadcast[i] + u0[i]) + u1[i]) + u2[i]) + u3[i];
            }
        }
        for (; k < clients; k++) {
            final double[] upload = latest[k];
            for (int i = 0; i < broadcast.length; i++) {
                broadcast[i] += upload[i];
            }
        }
        for (int i = 0; i < broadcast.length; i++) {
            broadcast[i] /= clients;                                      // s_{n+1} = (1/K) sum_k t~_k (14)
        }
    }

    @Override
    public double[] broadcast() {
        return broadcast;
    }

    /** Every client's latest upload t~_k, client by client: the state the broadcast average hides. */
    @Override
    public double[] checkpointState() {
        final int dimension = broadcast.length;
        final double[] state = new double[latest.length * dimension];
        for (int k = 0; k < latest.length; k++) {
            System.arraycopy(latest[k], 0, state, k * dimension, dimension);
        }
        return state;
    }

    /** The continual server keeps no separate w_n; its global estimate is the broadcast average. */
    @Override
    public double[] globalModel() {
        return broadcast;
    }
}
