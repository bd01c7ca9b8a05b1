package io.fedlink.protocol;

/**
 * A message that carries model vectors across a link: the messages the noisy-mailbox decorator perturbs.
 * A federation simulates a block of trials (one, on a cluster or in free-running mode); a message carries
 * one vector for each trial of the block it concerns, named by its slot (0..B-1), and the link of each slot
 * is that trial's own. A receiver gets a new message with new vectors; the sent ones are never touched.
 *
 * @param <M> the concrete message type
 */
public interface ModelMessage<M extends ModelMessage<M>> extends FedlinkMessage {

    /** The round the vectors belong to (0 is the start-up round). */
    int round();

    /** The slots (trials of the block) the vectors are for, ascending. Read-only. */
    int[] slots();

    /** One vector per slot, in the order of {@link #slots()}. Read-only: they may be shared with the sender. */
    double[][] vectors();

    /**
     * The same message carrying other vectors for some of its slots (what the links delivered: a slot
     * whose transmission was lost is left out).
     *
     * @param slots   a subsequence of {@link #slots()}
     * @param vectors one per slot
     */
    M withVectors(int[] slots, double[][] vectors);

    /** Checks a message's slots and vectors: as many vectors as slots, slots ascending from 0. */
    static void checkSlots(int[] slots, double[][] vectors, String what) {
        if (slots == null || vectors == null) {
            throw new IllegalArgumentException(what + ": slots and vectors are required");
        }
        if (slots.length != vectors.length) {
            throw new IllegalArgumentException(what + ": " + slots.length + " slots but " + vectors.length + " vectors");
        }
        checkAscending(slots, what);
        for (double[] vector : vectors) {
            if (vector == null) {
                throw new IllegalArgumentException(what + ": a slot's vector is missing");
            }
        }
    }

    /** Checks that slots ascend strictly from 0 up. */
    static void checkAscending(int[] slots, String what) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] < 0 || (i > 0 && slots[i] <= slots[i - 1])) {
                throw new IllegalArgumentException(what + ": slots must ascend strictly from 0, got "
                        + java.util.Arrays.toString(slots));
            }
        }
    }
}
