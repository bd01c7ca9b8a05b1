package io.fedlink.core.algorithm;

/**
 * Client k in every trial of a block of trials: the batched form of {@link ClientRule}. Trials are
 * independent, so a block of B trials is B rules side by side, one per slot 0..B-1; what a block adds is
 * the chance to do one round's work for all of its slots at once. A client is polled in about C/K of the
 * trials in each round, and a batched rule multiplies its fixed matrix (P_k, or its eigenvectors) with all
 * of those trials' vectors in one pass ({@link io.fedlink.core.linalg.VectorOps#multiply(double[][],
 * double[][], double[][], int)}), reading the matrix once per round instead of once per poll.
 *
 * <p>Every slot must compute exactly the numbers its own {@link ClientRule} would, bit for bit: the
 * engines run trials in blocks of any size (one, on a cluster) and promise the same curves.
 * {@link FederatedAlgorithm#newClientBlock} makes one; its default, {@link #ofRules}, is the rules of
 * the slots called one after another, which is how a plug-in that offers no batched form runs.
 *
 * <p>Not thread-safe: one owner (a block of the reference engine, or one client actor) drives it. The
 * vectors it is handed are not kept.
 */
public interface ClientBlock {

    /** k. */
    int clientId();

    /** B, the number of slots (trials) in the block. */
    int size();

    /**
     * Slot {@code slot}'s start-up upload (round 0), as {@link ClientRule#startUpload}.
     *
     * @param upload output of the algorithm's upload length, overwritten
     */
    void startUpload(int slot, double[] upload);

    /**
     * One round. In the slots {@code polled[0..count-1]} (ascending) the client was polled and received
     * {@code received[i]}: each steps ({@link ClientRule#onPoll}) and writes what it uploads to
     * {@code uploads[i]}. Every other slot was not polled (or its poll was lost): it takes its idle
     * step ({@link ClientRule#onIdleRound}) if {@code idleSteps}, else keeps its state.
     *
     * @param polled    slots, ascending, distinct; only the first {@code count} are read; not modified
     * @param received  received[i] for polled[i]; not modified, not kept
     * @param uploads   outputs, uploads[i] for polled[i], each of the upload length, overwritten; none of
     *                  them is one of {@code received}
     * @param idleSteps whether slots not polled take a step ({@link FederatedAlgorithm#stepsWhenNotPolled()});
     *                  engines pass the algorithm's answer
     */
    void round(int[] polled, int count, double[][] received, double[][] uploads, boolean idleSteps);

    /** Slot {@code slot}'s ||w_k - w*||^2, as {@link ClientRule#squaredDeviation} (same contract on {@code optimum}). */
    double squaredDeviation(int slot, double[] optimum);

    /** Slot {@code slot}'s local model w_k, read-only and valid until the block's next call. */
    double[] model(int slot);

    /** The block that calls {@code rules[s]} for slot s: a plug-in's rules, batched by nothing. */
    static ClientBlock ofRules(ClientRule[] rules) {
        return new ClientRuleBlock(rules);
    }
}
