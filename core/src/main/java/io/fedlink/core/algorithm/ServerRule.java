package io.fedlink.core.algorithm;

/**
 * The server's side of an algorithm: how it aggregates what it received and what it broadcasts.
 *
 * <p>A round is {@link #beginRound()}, then {@link #receive} once per upload in ascending client-id
 * order (never arrival order: the determinism contract), then {@link #closeRound()}. The start-up
 * round 0 has the same shape. Not thread-safe.
 */
public interface ServerRule {

    /**
     * Starts collecting the uploads of one round.
     *
     * @param polled the number of clients polled in the round (C; K at a full start-up), whether or
     *               not their uploads arrive: what a rule that divides by C divides by
     */
    void beginRound(int polled);

    /**
     * One received (noisy) upload of the current round.
     *
     * @param clientId k; strictly greater than the id of the previous upload of this round
     * @param upload   the vector the uplink delivered, not modified and not kept
     * @throws IllegalArgumentException if ids do not ascend or the length is not L
     */
    void receive(int clientId, double[] upload);

    /** Aggregates the uploads of the round into the new global state. */
    void closeRound();

    /** The vector to broadcast to the clients polled next: a live view, read-only for the caller. */
    double[] broadcast();

    /** The server's current global model w_n: a live view, read-only for the caller. */
    double[] globalModel();

    /**
     * What the server carries from round to round that {@link #globalModel()} and {@link #broadcast()}
     * do not show (a table of the clients' latest uploads, a momentum), for checkpoints: a fresh
     * array, empty (the default) when those two are the whole state. A checkpointed run compares it,
     * with the other two, bit for bit when a rerun reaches the interrupted round.
     */
    default double[] checkpointState() {
        return new double[0];
    }
}
