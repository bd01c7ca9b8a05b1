package io.fedlink.core.algorithm;

/**
 * The bookkeeping every server rule shares: uploads of a round arrive in ascending id order and are
 * summed in that order, so that the aggregate is bit-for-bit independent of arrival order.
 */
final class RoundCollector {

    private final int clients;
    private final double[] sum;
    private int received;
    private int polled;
    private int lastClientId;

    RoundCollector(int clients, int dimension) {
        this.clients = clients;
        this.sum = new double[dimension];
    }

    void begin(int polled) {
        java.util.Arrays.fill(sum, 0.0);
        this.polled = polled;
        received = 0;
        lastClientId = -1;
    }

    /** Checks the upload's id and length, then adds it to the running sum. */
    void add(int clientId, double[] upload) {
        check(clientId, upload);
        for (int i = 0; i < sum.length; i++) {
            sum[i] += upload[i];
        }
        received++;
    }

    /** Checks the upload's id and length without summing it. */
    void check(int clientId, double[] upload) {
        if (clientId < 0 || clientId >= clients) {
            throw new IllegalArgumentException("client id " + clientId + " outside 0.." + (clients - 1));
        }
        if (clientId <= lastClientId) {
            throw new IllegalArgumentException("uploads must arrive in ascending client-id order: "
                    + clientId + " after " + lastClientId);
        }
        if (upload.length != sum.length) {
            throw new IllegalArgumentException("upload from client " + clientId + " has length "
                    + upload.length + ", expected " + sum.length);
        }
        lastClientId = clientId;
    }

    int received() {
        return received;
    }

    /** The number of clients polled in the round, as the server was told. */
    int polled() {
        return polled;
    }

    double[] sum() {
        return sum;
    }
}
