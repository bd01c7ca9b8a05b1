package io.fedlink.core.algorithm;

/**
 * One client's side of an algorithm: its local state and its update rule (SPEC section 4).
 *
 * <p>A rule never sees clean transmitted values and never draws link noise: it receives the noisy
 * copy that the link delivered. It owns its arrays; the ones it is handed are not kept. Not
 * thread-safe: one owner (a trial of the reference engine, or one client actor) drives it.
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
     * @param upload   output, length L, overwritten with the vector to send back
     */
    void onPoll(double[] received, double[] upload);

    /** A round in which this client was not polled: a local step where the algorithm takes one. */
    void onIdleRound();

    /** The local model w_k: a live view, to be read and not modified by the caller. */
    double[] model();
}
