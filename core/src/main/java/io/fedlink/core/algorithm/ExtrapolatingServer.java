package io.fedlink.core.algorithm;

/**
 * The server of the dual-free algorithms (SPEC 4.2 and 4.3): it averages the uploads it received
 * and broadcasts the extrapolation s_{n+1} = 2 w_{n+1} - w_n, one vector per round.
 *
 * <p>Start-up needs no special case: before round 0 the global model is w_{-1} = 0, so closing
 * round 0 gives w_0 = mean of uploads and s_0 = 2 w_0 - w_{-1}. With every polled client heard
 * the mean divides by C (by K under full participation), as in (10) and (12). When some were not
 * heard, {@link MissingUploads} says whether it divides by the uploads received or by C. A round in
 * which nothing was polled (or, dividing by the uploads received, nothing arrived) holds the model:
 * w_{n+1} = w_n.
 */
final class ExtrapolatingServer implements ServerRule {

    private final RoundCollector collector;
    private final MissingUploads missing;
    private final double[] global;
    private final double[] extrapolation;

    ExtrapolatingServer(int clients, int dimension, MissingUploads missing) {
        this.collector = new RoundCollector(clients, dimension);
        this.missing = missing;
        this.global = new double[dimension];
        this.extrapolation = new double[dimension];
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
        final int received = collector.received();
        final int divisor = missing.denominator(collector.polled(), received);
        final double[] sum = collector.sum();
        for (int i = 0; i < global.length; i++) {
            final double previous = global[i];
            final double next = divisor == 0 ? previous : sum[i] / divisor;     // w_{n+1} (12)
            extrapolation[i] = 2.0 * next - previous;                           // s_{n+1} = 2 w_{n+1} - w_n
            global[i] = next;
        }
    }

    @Override
    public double[] broadcast() {
        return extrapolation;
    }

    @Override
    public double[] globalModel() {
        return global;
    }
}
