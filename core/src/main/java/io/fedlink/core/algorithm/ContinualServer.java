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
        for (double[] upload : latest) {
            for (int i = 0; i < broadcast.length; i++) {
                broadcast[i] += upload[i];
            }
        }
        final int clients = latest.length;
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
