package io.fedlink.core.algorithm;

import io.fedlink.core.linalg.VectorOps;

/**
 * One client's side of an algorithm: its local state and its update rule (SPEC section 4).
 *
 * <p>A rule never sees clean transmitted values and never draws link noise: it receives the noisy
 * copy that the link delivered. It owns its arrays; the vectors it is handed are not kept (w*,
 * handed to {@link #squaredDeviation}, may be, see there). Not thread-safe: one owner (a trial of
 * the reference engine, or one client actor) drives it.
 */
public interface ClientRule {

    /** k. */
    int clientId();

    /**
     * The start-up upload (round 0): what the client sends before any broadcast.
     *
     * @param upload output, length L, overwritten
     */
    void startUpload(double[] upload);

    /**
     * A polled round: update with the received (noisy) server vector and produce the upload.
     *
     * @param received the noisy vector the downlink delivered, not modified and not kept
     * @param upload   output, length L, overwritten with the vector to send back; must not be
     *                 {@code received} itself
     */
    void onPoll(double[] received, double[] upload);

    /** A round in which this client was not polled: a local step where the algorithm takes one. */
    void onIdleRound();

    /**
     * The local model w_k, to be read and not modified by the caller. A rule may hold its state in
     * another basis and compute w_k here; the array stays valid until the rule's next call.
     */
    double[] model();

    /**
     * ||w_k - w*||^2, the client's term of the metric (eq. 35), summed in a fixed order.
     *
     * @param optimum w*, not modified; callers pass the same array, with the same contents, every
     *                time: a rule may keep w* expressed in its own basis, recomputed only when a
     *                different array comes (so w* must not be changed in place)
     */
    default double squaredDeviation(double[] optimum) {
        return VectorOps.squaredDistance(model(), optimum);
    }
}
