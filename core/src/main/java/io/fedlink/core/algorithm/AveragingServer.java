package io.fedlink.core.algorithm;

/**
 * The ADMM server (SPEC 4.1): the global model is the mean of the uploads received in the round (or
 * their sum over C, see {@link MissingUploads}), and it is what the server broadcasts. A round in
 * which nothing arrived leaves it unchanged.
 */
final class AveragingServer implements ServerRule {

    private final RoundCollector collector;
    private final MissingUploads missing;
    private final double[] global;

    AveragingServer(int clients, int dimension, MissingUploads missing) {
        this.collector = new RoundCollector(clients, dimension);
        this.missing = missing;
        this.global = new double[dimension];
    }

    @Override
    public void beginRound(int polled) {
        collector.begin(polled);
    }

    @Override
    public void receive(int clientId, double[] upload) {
        collector.add(clientId, upload);
    }

    @Override
    public void closeRound() {
        final int divisor = missing.denominator(collector.polled(), collector.received());
        if (divisor == 0) {
            return;
        }
        final double[] sum = collector.sum();
        for (int i = 0; i < global.length; i++) {
            global[i] = sum[i] / divisor;              // w_{n+1} = mean of uploads (6)
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
